/// HTML text escaping, for the pages csp writes (audit.html, report.html).
public enum HTML {
    /// `&`, `<`, `>` and `"` as entities.
    public static func escape(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(ch)
            }
        }
        return o
    }
}
