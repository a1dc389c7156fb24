import CSPSchema
import CSPStorage
import Foundation

extension PublishPlan {
    /// Published types as PostgreSQL types (a `month` is text `YYYY-MM`, kept in shape by a CHECK).
    static func pgType(_ t: ColumnType) -> String {
        switch t {
        case .text, .month: "text"
        case .integer: "bigint"
        case .real: "double precision"
        case .boolean: "boolean"
        case .date: "date"
        case .datetime: "timestamp without time zone"
        }
    }

    /// The ledger of loads, in the schema: one row per load, `current` on the one whose tables the schema holds.
    public static let ledgerTable = "loads"

    /// A quoted identifier.
    static func ident(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    /// A quoted string literal.
    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// The SQL whose output ``PostgresPublisher`` reads before a load: `server<TAB>version<TAB>user<TAB>PostGIS version`
    /// (empty without the extension), then
    /// `tables<TAB>a,b,c` (every table and view of the schema) and whether the ledger exists (`t`/`f`).
    static func preflightSQL(schema: String) -> [String] {
        [
            "SELECT 'server', current_setting('server_version'), current_user, coalesce((SELECT extversion FROM pg_extension WHERE extname = 'postgis'), '')",
            "SELECT 'tables', coalesce((SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = \(literal(schema))), ''), "
                + "to_regclass(\(literal(ident(schema) + "." + ident(ledgerTable)))) IS NOT NULL",
        ]
    }

    /// The ledger's current load: `current<TAB>run<TAB>manifest sha<TAB>tables<TAB>loaded at` (asked only when the
    /// ledger exists).
    static func currentLoadSQL(schema: String) -> String {
        "SELECT 'current', run_id, manifest_sha256, array_to_string(tables, ','), to_char(loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM \(ident(schema)).\(ident(ledgerTable)) WHERE current"
    }

    /// The geometry column a dataset gets, computed by the server as COPY writes each row: a point in EPSG:27700 from
    /// easting/northing (OSGB36 metres as they stand), else from longitude/latitude (ST_Transform); the `geometry`
    /// table's outlines from their WKT. nil for a table with neither.
    static func geometryColumn(_ t: DataDictionary.Table) -> String? {
        let names = Set(t.columns.map(\.name))
        guard !names.contains("geom") else { return nil }
        if names.contains("wkt") { return "geom geometry(MultiPolygon, 27700) GENERATED ALWAYS AS (ST_Multi(ST_GeomFromText(wkt, 27700))) STORED" }
        var cases: [String] = []
        if names.isSuperset(of: ["easting", "northing"]) {
            cases.append("WHEN easting IS NOT NULL AND northing IS NOT NULL THEN ST_SetSRID(ST_MakePoint(easting, northing), 27700)")
        }
        if names.isSuperset(of: ["longitude", "latitude"]) {
            cases.append("WHEN longitude IS NOT NULL AND latitude IS NOT NULL THEN ST_Transform(ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), 27700)")
        }
        return cases.isEmpty ? nil : "geom geometry(Point, 27700) GENERATED ALWAYS AS (CASE \(cases.joined(separator: " ")) END) STORED"
    }

    /// A short tag of this load (run id and manifest), naming its staging tables and its indexes so that they never
    /// clash with the previous load's, which stay readable beside them until the swap.
    var loadTag: String { String(FileDigest.sha256(data: Data((runID + " " + manifestSHA256).utf8)).prefix(8)) }

    /// The psql script of one load, run inside one transaction that csp itself commits after the script's last line
    /// (`\echo csp-ready`) has come back: a load that stops anywhere before (an error, csp or psql killed, the
    /// connection lost) is rolled back by the server and leaves the previous load as it was.
    ///
    /// In order: a transaction-scoped advisory lock (two publishers of one schema take turns); the schema and ledger
    /// if missing; each table created under a staging name (`<name>__<tag>`) from the dictionary with its geometry
    /// column, filled by `\copy` (psql reads the file and streams it: the server never opens a path), its rows
    /// checked against the manifest (`RAISE` rolls everything back); the spreadsheet-safety quote of text cells undone
    /// (the server gets the values as warehouse.sqlite has them); then the keys and indexes of the dictionary and GiST
    /// indexes on the geometry (faster after the load than during it) and ANALYZE. Until then readers go on reading
    /// the previous load's tables undisturbed. Then the swap: the previous load's tables (`previous`, from the
    /// ledger) dropped and the staging tables renamed; the ledger row. Readers wait only from the swap to the commit.
    func loadScript(schema: String, previous: [String], loadedBy: String, tool: String) -> String {
        let s = Self.ident(schema)
        let tag = loadTag
        var sql = """
            \\set ON_ERROR_STOP on
            SET client_min_messages = warning;
            BEGIN;
            SELECT pg_advisory_xact_lock(hashtext(\(Self.literal("csp publish " + schema))));
            CREATE SCHEMA IF NOT EXISTS \(s);
            CREATE TABLE IF NOT EXISTS \(s).\(Self.ident(Self.ledgerTable)) (
              load_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, run_id text NOT NULL, pipeline text NOT NULL,
              manifest_sha256 text NOT NULL, tables text[] NOT NULL, rows bigint NOT NULL, files jsonb NOT NULL,
              loaded_at timestamptz NOT NULL DEFAULT now(), loaded_by text NOT NULL, tool_version text NOT NULL,
              current boolean NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS loads_one_current ON \(s).\(Self.ident(Self.ledgerTable)) (current) WHERE current;

            """
        func staged(_ d: Dataset) -> String { "\(s).\(Self.ident(d.name + "__" + tag))" }
        for d in datasets {
            let t = staged(d)
            var defs = ["id bigint GENERATED ALWAYS AS IDENTITY"]
            for c in d.table.columns {
                var def = "\(Self.ident(c.name)) \(Self.pgType(c.type))"
                if c.notNull { def += " NOT NULL" }
                if c.type == .month { def += " CHECK (\(Self.ident(c.name)) ~ '^[0-9]{4}-[0-9]{2}$')" }
                defs.append(def)
            }
            if let g = Self.geometryColumn(d.table) { defs.append(g) }
            let cols = d.table.columns.map { Self.ident($0.name) }.joined(separator: ", ")
            sql += "\\echo csp-table \(d.name)\n"
            sql += "CREATE TABLE \(t) (\n  \(defs.joined(separator: ",\n  "))\n);\n"
            // \copy's file name: psql reads it between single quotes, a quote doubled.
            sql += "\\copy \(t) (\(cols)) FROM \(Self.literal(d.path)) WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')\n"
            sql += """
                DO $csp$ DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM \(t);
                  IF n <> \(d.rows) THEN RAISE EXCEPTION 'csp: table % holds % rows where the run''s manifest says \(d.rows)', \(Self.literal(d.name)), n; END IF; END $csp$;

                """
            for c in d.table.columns where c.type == .text {
                let c = Self.ident(c.name)
                sql += "UPDATE \(t) SET \(c) = substr(\(c), 2) WHERE \(c) ~ E'^''[-=+@\\\\t\\\\r]';\n"
            }
        }
        sql += "\\echo csp-keys\n"
        for d in datasets {
            let t = staged(d)
            func name(_ what: String) -> String { Self.ident("\(d.name)_\(what)_\(tag)") }
            sql += "ALTER TABLE \(t) ADD CONSTRAINT \(name("pk")) PRIMARY KEY (id);\n"
            for (i, u) in d.table.unique.enumerated() {
                let cols = u.columns.map(Self.ident).joined(separator: ", ")
                if let e = u.exempt {
                    sql += "CREATE UNIQUE INDEX \(name("u\(i)")) ON \(t) (\(cols)) WHERE NOT \(Self.ident(e));\n"
                } else {
                    sql += "ALTER TABLE \(t) ADD CONSTRAINT \(name("u\(i)")) UNIQUE (\(cols));\n"
                }
            }
            for (i, cols) in d.table.indexes.enumerated() {
                sql += "CREATE INDEX \(name("i\(i)")) ON \(t) (\(cols.map(Self.ident).joined(separator: ", ")));\n"
            }
            if Self.geometryColumn(d.table) != nil { sql += "CREATE INDEX \(name("geom")) ON \(t) USING gist (geom);\n" }
            sql += "ANALYZE \(t);\n"
        }
        sql += "\\echo csp-swap\n"
        for t in Set(previous + datasets.map(\.name)).sorted() { sql += "DROP TABLE IF EXISTS \(s).\(Self.ident(t));\n" }
        for d in datasets { sql += "ALTER TABLE \(staged(d)) RENAME TO \(Self.ident(d.name));\n" }
        let files = "{" + datasets.map { "\"\($0.name)\": {\"rows\": \($0.rows), \"sha256\": \"\($0.sha256)\"}" }.joined(separator: ", ") + "}"
        let tables = "ARRAY[" + datasets.map { Self.literal($0.name) }.joined(separator: ", ") + "]::text[]"
        sql += """
            \\echo csp-ledger
            UPDATE \(s).\(Self.ident(Self.ledgerTable)) SET current = false WHERE current;
            INSERT INTO \(s).\(Self.ident(Self.ledgerTable)) (run_id, pipeline, manifest_sha256, tables, rows, files, loaded_by, tool_version, current)
              VALUES (\(Self.literal(runID)), \(Self.literal(pipeline)), \(Self.literal(manifestSHA256)), \(tables), \(rows), \(Self.literal(files))::jsonb,
                      \(Self.literal(loadedBy)), \(Self.literal(tool)), true);
            \\echo csp-ready

            """
        return sql
    }
}
