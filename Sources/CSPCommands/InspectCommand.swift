import ArgumentParser
import CSPCore
import CSPInspect
import CSPCSV
import CSPSchema
import Foundation

/// `csp inspect FILE`: what an analyst runs on a new export before writing its mapping.
public struct InspectCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Preview an export as JSON: format, encoding, records, columns, errors. Exits 65 for a malformed or hostile file.",
        discussion: "With --draft-mapping ENTITY, print instead a draft source mapping (YAML) of the file onto that entity: every column named, each with a profile of its values as comments, TODO where a person decides.")

    @Argument(help: "The file.")
    var file: String

    @Option(help: "csv or xml (default: from the extension or the content).")
    var format: SourceFormat?

    @Option(help: "XML: the element holding one record (default: the most frequent child of the root).")
    var record: String?

    @Option(help: "CSV: utf-8, windows-1252 or iso-8859-1 (default: detected).")
    var encoding: String?

    @Option(help: "CSV delimiter (one character, or \\t).")
    var delimiter: String = ","

    @Option(help: "Also count records by this column (CSV header name or XML path).")
    var countBy: String?

    @Option(help: ArgumentHelp("Print a draft source mapping (YAML) of the file onto this entity instead of the JSON preview.", valueName: "entity"))
    var draftMapping: String?

    /// Checks the options.
    public func validate() throws {
        if let draftMapping, EntityContract.schema(draftMapping) == nil {
            throw ValidationError("--draft-mapping: `\(draftMapping)` is not an entity a mapping can fill; known: \(EntityContract.entities.joined(separator: ", "))")
        }
        if let encoding, TextEncoding(name: encoding) == nil { throw ValidationError("unknown encoding `\(encoding)`: use utf-8, windows-1252 or iso-8859-1") }
        if delimiter != "\\t" && delimiter.utf8.count != 1 { throw ValidationError("--delimiter is one character") }
    }

    /// Runs.
    public func run() throws {
        do {
            let inspector = FileInspector(format: format, recordElement: record, encoding: encoding.flatMap(TextEncoding.init(name:)),
                                          delimiter: delimiter == "\\t" ? 9 : delimiter.utf8.first!, countBy: countBy)
            if let entity = draftMapping {
                let draft = try MappingDraft.draft(path: file, entity: entity, inspector: inspector)
                FileHandle.standardOutput.write(Data(draft.yaml.utf8))
                return
            }
            let report = try inspector.inspect(path: file)
            FileHandle.standardOutput.write(try JSON.pretty(report))
            if !report.isClean { throw ArgumentParser.ExitCode(ExitCode.dataError.rawValue) }
        } catch {
            throw Failure.exit(error)
        }
    }
}

extension SourceFormat: ExpressibleByArgument {}
