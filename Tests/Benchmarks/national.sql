-- The DuckDB reference for the national month (`make bench`, group `national`): stages 1-4 of
-- Pipelines/police-uk-england-wales.yaml done the DuckDB way on the same files, for the speed and memory comparison.
-- Run by Tests/Benchmarks/duckdb_stages.py --sql national.sql, which replaces {data}, {categories}, {wd25}, {lsoa11},
-- {csp24}, {lad17}, {out} and runs the statements in one connection to {out}/reference.duckdb.
--
-- What it does, stage by stage (csp's stages do this and more: line numbers, checksums, manifests, rejects):
--   1 ingest     parse every row of the month's street files (40 forces) as text, with its file name
--   2 clean      type the fields (month, coordinates), tidy text, map the crime type through the reference table,
--                split crimes from ASB rows, remove duplicates (a Crime ID published twice: the later month wins)
--   3 geocode    assign by the published LSOA: LSOA21 -> WD25 -> LAD25 (ONS best fit), then LAD -> CSP24 -> PFA24.
--                A LAD25 code that the LAD24 lookup does not know (Barnsley E08000038, Sheffield E08000039, recoded
--                in 2025) is taken as the LAD22 of the LSOA in the LSOA11 -> LSOA21 -> LAD22 lookup (derived from
--                the data, not listed here). A council with several CSPs in 2024 (Buckinghamshire, BCP, the two
--                Northamptonshires, Cumberland, Westmorland and Furness, East Suffolk) takes the CSP of the 2011
--                district named by the LSOA11 name ("Christchurch 001A" -> Christchurch -> LAD17 -> CSP17) when that
--                CSP is one of the council's 2024 CSPs. Rows whose LSOA is not in the lookup are excluded
--                (csp locates each point in the 7,589 ward polygons first; DuckDB does no point-in-polygon work)
--   4 normalise  a table and a CSV per dataset; duplicates, exclusions and rejects as CSVs
-- The table names (raw, typed with its disposition, located, crimes, asb_incidents) are the ones duckdb_stages.py
-- counts.

-- include police-uk-typed.sql

-- stage 3 geocode, by LSOA
CREATE TEMP TABLE wd25 AS
SELECT "LSOA21CD" AS lsoa21, "WD25CD" AS ward_code, "WD25NM" AS ward_name, "LAD25CD" AS lad25, "LAD25NM" AS lad25_name
FROM read_csv('{wd25}', header = true, all_varchar = true);
CREATE TEMP TABLE lsoa11 AS
SELECT "LSOA21CD" AS lsoa21, min("LAD22CD") AS lad22, min("LSOA11NM") AS lsoa11_name
FROM read_csv('{lsoa11}', header = true, all_varchar = true) GROUP BY ALL;
CREATE TEMP TABLE csp24 AS SELECT * FROM read_csv('{csp24}', header = true, all_varchar = true);
CREATE TEMP TABLE lad17 AS SELECT * FROM read_csv('{lad17}', header = true, all_varchar = true);
-- Each LSOA21's council (LAD25, else the LAD22 the LAD24 lookup knows) and its CSP: the council's only CSP, or the
-- CSP of the LSOA's 2011 district when the council has several.
CREATE TEMP TABLE lsoa_area AS
WITH l AS (
  SELECT w.*, CASE WHEN w.lad25 IN (SELECT "LAD24CD" FROM csp24) THEN w.lad25 ELSE o.lad22 END AS lad24,
         regexp_replace(o.lsoa11_name, ' [0-9]{3}[A-Z]$', '') AS district11
  FROM wd25 w LEFT JOIN lsoa11 o USING (lsoa21)),
n AS (SELECT "LAD24CD", count(*) AS csps FROM csp24 GROUP BY ALL)
SELECT l.lsoa21, l.ward_code, l.ward_name, l.lad25 AS la_code, l.lad25_name AS la_name, c."CSP24CD" AS csp_code,
       c."CSP24NM" AS csp_name, c."PFA24CD" AS pfa_code, c."PFA24NM" AS pfa_name,
       CASE WHEN n.csps = 1 THEN 'lad' ELSE 'old-district' END AS csp_method
FROM l JOIN n ON n."LAD24CD" = l.lad24
JOIN csp24 c ON c."LAD24CD" = l.lad24
LEFT JOIN lad17 d ON d."LAD17NM" = l.district11
WHERE n.csps = 1 OR d."CSP17CD" = c."CSP24CD";
CREATE TEMP TABLE located AS
SELECT k.* EXCLUDE (disposition), a.ward_code, a.ward_name, a.la_code, a.la_name, a.csp_code, a.csp_name, a.pfa_code,
       a.pfa_name, a.csp_method, 'lsoa' AS geocode_method
FROM typed k JOIN lsoa_area a ON a.lsoa21 = k.lsoa_code
WHERE k.disposition = 'kept';

-- stage 4 normalise: a table per dataset in {out}/reference.duckdb and a CSV per dataset
CREATE TABLE crimes AS
SELECT crime_ref, month, offence_group, ho_category, offence_description, force, longitude, latitude, lsoa_code,
       location_description, last_outcome, ward_code, ward_name, la_code, la_name, csp_code, csp_name, pfa_code, pfa_name,
       csp_method, geocode_method, source_file
FROM located WHERE entity = 'crimes';
CREATE TABLE asb_incidents AS
SELECT month, offence_description AS category, force, longitude, latitude, lsoa_code, location_description,
       ward_code, ward_name, la_code, la_name, csp_code, csp_name, pfa_code, pfa_name, csp_method, geocode_method, source_file
FROM located WHERE entity = 'asb_incidents';
-- include police-uk-publish.sql
COPY (SELECT source_file, crime_ref, CASE WHEN k.lsoa_code IS NULL THEN 'no location' ELSE 'no area for the LSOA' END AS reason
      FROM typed k ANTI JOIN lsoa_area a ON a.lsoa21 = k.lsoa_code WHERE k.disposition = 'kept') TO '{out}/excluded.csv' (HEADER);
