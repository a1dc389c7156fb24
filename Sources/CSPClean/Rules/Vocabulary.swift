import CSPCore
import CSPSchema
import CSPStorage

/// The small fixed vocabularies of export fields: yes/no flags and sex codes.
public enum Vocabulary {
    /// `Y`, `Yes`, `True`, `1` → true; `N`, `No`, `False`, `0` and blank → false; anything else → nil (rejected).
    public static func flag(_ text: String) -> Bool? {
        switch Text.trim(text).lowercased() {
        case "y", "yes", "true", "t", "1": return true
        case "n", "no", "false", "f", "0", "": return false
        default: return nil
        }
    }

    /// `M`/`Male`/`man` → `M`; `F`/`Female`/`woman` → `F`; `U`, `X`, `Unknown`, `Not known`, `Other`, blank → `U`; else nil.
    public static func sex(_ text: String) -> String? {
        switch Text.trim(text).lowercased() {
        case "m", "male", "man", "boy": return "M"
        case "f", "female", "woman", "girl": return "F"
        case "u", "x", "unknown", "not known", "not stated", "other", "": return "U"
        default: return nil
        }
    }

    /// Text trimmed and inner runs of spaces collapsed (spaces and tabs only, as Characters).
    public static func tidy(_ text: String) -> String { Text.tidy(text) }
}

/// Age from date of birth, and the assessment's age bands.
public enum Age {
    /// Whole years from `birth` to `on`; nil when `on` is before `birth`.
    public static func years(from birth: Day, on: Day) -> Int? {
        guard birth <= on else { return nil }
        var y = on.year - birth.year
        if (on.month, on.day) < (birth.month, birth.day) { y -= 1 }
        return y
    }

    /// Ten-year bands as the assessment uses them: `0-9`, `10-19`, …, `70-79`, `80+`; `unknown` for nil.
    public static func band(_ age: Int?) -> String {
        guard let age, age >= 0 else { return "unknown" }
        if age >= 80 { return "80+" }
        let lo = age / 10 * 10
        return "\(lo)-\(lo + 9)"
    }
}
