/// Masking of personal values in rejects, logs and error messages.
public enum Mask {
    /// A personal value as it may appear in rejects: its length only, never its content.
    public static func personal(_ value: String) -> String {
        value.isEmpty ? "" : "[masked: \(value.count) characters]"
    }

    /// `value` masked when `isPersonal`, else as it is.
    public static func value(_ value: String, personal isPersonal: Bool) -> String {
        isPersonal ? personal(value) : value
    }
}
