-- The DuckDB reference for csp's stages 1-4 (`make bench`, group `stages`): the same work on the same files.
-- Run by Tests/Benchmarks/duckdb_stages.py, which replaces {data}, {categories}, {lsoa}, {wards}, {out} and runs the
-- statements in one connection to {out}/reference.duckdb (the "database table" of the comparison: csp writes SQLite).
--
-- What it does, stage by stage, and what csp does beside it:
--   1 ingest     parse every row of the monthly data.police.uk street files as text, with its file name
--                (csp also checks each record's shape, transcodes, keeps the line number, hashes every file)
--   2 clean      type the fields (month, coordinates), tidy text, map the crime type through the reference table,
--                split crimes from ASB rows, remove duplicates (a Crime ID published again: the later month wins)
--   3 geocode    assign the ward through the LSOA -> ward lookup, with the ward's name; rows without an LSOA in the
--                lookup are excluded (csp locates each point in the ward polygons first and checks it against the
--                LSOA lookup; DuckDB does no point-in-polygon work)
--   4 normalise  write one normalised CSV per dataset and a table per dataset in a database file
-- Every step writes a table, as csp's stages write files, so the counts can be checked against csp's.

-- include police-uk-typed.sql

-- stage 3 geocode, by LSOA: ward code and name; no LSOA, or one outside the lookup, is excluded
CREATE TEMP TABLE lsoa AS SELECT * FROM read_csv('{lsoa}', header = true, all_varchar = true);
CREATE TEMP TABLE wards AS SELECT * FROM read_csv('{wards}', header = true, all_varchar = true);
CREATE TEMP TABLE located AS
SELECT k.* EXCLUDE (disposition), l.wd09_code AS ward_code, w.ward_name AS ward_name,
       'E06000056' AS la_code, 'Central Bedfordshire' AS la_name, 'lsoa' AS geocode_method
FROM typed k JOIN lsoa l ON l.lsoa01_code = k.lsoa_code JOIN wards w ON w.ward_code = l.wd09_code
WHERE k.disposition = 'kept';

-- stage 4 normalise: a table per dataset in {out}/reference.duckdb and a CSV per dataset; the run's
-- rejects, duplicates and exclusions as CSVs too
CREATE TABLE crimes AS
SELECT crime_ref, month, offence_group, ho_category, offence_description, longitude, latitude, lsoa_code,
       location_description, last_outcome, ward_code, ward_name, la_code, la_name, geocode_method, source_file
FROM located WHERE entity = 'crimes';
CREATE TABLE asb_incidents AS
SELECT month, offence_description AS category, longitude, latitude, lsoa_code, location_description,
       ward_code, ward_name, la_code, la_name, geocode_method, source_file
FROM located WHERE entity = 'asb_incidents';
-- include police-uk-publish.sql
COPY (SELECT source_file, crime_ref, CASE WHEN k.lsoa_code IS NULL THEN 'no location' ELSE 'out of area' END AS reason
      FROM typed k ANTI JOIN lsoa l ON l.lsoa01_code = k.lsoa_code WHERE k.disposition = 'kept') TO '{out}/excluded.csv' (HEADER);
