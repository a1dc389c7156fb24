import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// Carries stage 1's coverage calendar forward: stages 2 and 3 copy the previous stage's `coverage.csv` unchanged,
/// so that stage 4 can publish it and stage 5 learn from it which months the data has. The calendar is not records:
/// it is outside the conservation counts (listed as an input of role `stage:<previous>` with its rows, and as an
/// output of role `coverage`).
package enum CoverageCarry {
    /// The previous stage's `coverage.csv`, when it wrote one.
    package static func input(_ context: StageContext) -> String? {
        guard let dir = context.inputDirectory else { return nil }
        let path = dir + "/" + CoverageCalendar.fileName
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Copies the previous stage's calendar into this stage's folder, unchanged, and records it in the report.
    package static func carry(_ context: StageContext, role: String, report: inout StageReport) throws {
        guard let source = input(context) else { return }
        let target = context.outputPath(CoverageCalendar.fileName)
        do { try FileManager.default.copyItem(atPath: source, toPath: target) } catch {
            throw StageError.io(path: target, operation: "copy", reason: "\(error)")
        }
        let rows = try CoverageCalendar.read(path: source)?.rows.count ?? 0
        report.inputs.append(try context.inputEntry(source, role: role, rows: rows))
        report.outputRows[CoverageCalendar.fileName] = rows
    }
}
