import CSPCore
import CSPPublish
import Foundation
import Testing

/// `csp publish --to`: what is accepted, and a password refused wherever the URL could carry one.
@Suite struct PublishTargetTests {
    @Test(arguments: ["postgresql://db.example.org:5432/csp", "postgres://analyst@db.example.org/csp",
                      "postgresql://postgres@%2Ftmp%2Fpg:5432/csp", "postgresql://db/csp?sslmode=require"])
    func accepted(_ url: String) throws {
        let t = try PostgresTarget(url)
        #expect(t.database == "csp")
        #expect(t.description == url)
    }

    @Test(arguments: ["postgresql://analyst:secret@db/csp", "postgresql://db/csp?sslmode=require&password=secret",
                      "postgresql://db/csp?PASSWORD=x"])
    func passwordRefused(_ url: String) {
        #expect {
            try PostgresTarget(url)
        } throws: { e in
            guard let e = e as? PublishError, case .badTarget = e else { return false }
            return e.exitCode == .usage && e.description.contains("PGPASSWORD") && !e.description.contains("secret")
        }
    }

    @Test(arguments: ["mysql://db/csp", "db.example.org/csp", "postgresql://db", "postgresql://db/"])
    func notAServerAndDatabase(_ url: String) {
        #expect(throws: PublishError.self) { try PostgresTarget(url) }
    }

    @Test func exitCodesFollowSysexits() {
        #expect(PublishError.unreachable(server: "s", reason: "r").exitCode.rawValue == 69)
        #expect(PublishError.refused(server: "s", reason: "r").exitCode.rawValue == 77)
        #expect(PublishError.foreignTables(server: "s", schema: "csp", tables: ["t"]).exitCode.rawValue == 73)
        #expect(PublishError.runMismatch(file: "f", reason: "r").exitCode.rawValue == 65)
    }
}
