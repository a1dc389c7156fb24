import CSPCore

/// A theme of the assessment is the typed `ThemeDefinition` its themes file declares, read by `ThemesFile`: the same
/// checked loader the pipeline uses when it loads, so a themes file with a typo fails with 78 before stage 1.
extension ThemeDefinition {
    /// Parses a themes file.
    public static func load(path: String) throws -> [ThemeDefinition] { try ThemesFile.load(path: path) }

    /// Parses the text of a themes file.
    public static func parse(_ text: String, file: String = "themes") throws -> [ThemeDefinition] { try ThemesFile.parse(text, file: file) }
}
