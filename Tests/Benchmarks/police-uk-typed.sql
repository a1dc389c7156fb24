-- Stages 1 and 2 of the DuckDB references, shared by reference.sql (group `stages`) and national.sql (group
-- `national`): duckdb_stages.py puts this file in place of their `-- include police-uk-typed.sql` line. The
-- data.police.uk street files read as text with their file name, then typed, tidied, mapped through the crime type
-- reference table and deduplicated (a Crime ID published again: the later month wins; in one month, as when a crime is
-- in two forces' files, the first file by name, then a row with an LSOA code, so the result does not depend on
-- DuckDB's thread timing) in one statement, with each
-- row's disposition (kept, duplicate, rejected). Placeholders: {data}, {categories}.

SET preserve_insertion_order = false;

-- stage 1 ingest
CREATE TEMP TABLE raw AS
SELECT * FROM read_csv('{data}', header = true, all_varchar = true, filename = true);

-- stage 2 clean: typed, mapped and deduplicated in one statement; rejects and duplicates kept beside it
CREATE TEMP TABLE categories AS SELECT * FROM read_csv('{categories}', header = true, all_varchar = true);
CREATE TEMP TABLE typed AS
SELECT nullif(trim(r."Crime ID"), '')                                    AS crime_ref,
       strftime(strptime(trim(r."Month"), '%Y-%m'), '%Y-%m')             AS month,
       c.entity                                                          AS entity,
       c.offence_group                                                   AS offence_group,
       c.ho_category                                                     AS ho_category,
       c.crime_type                                                      AS offence_description,
       nullif(trim(r."Falls within"), '')                                AS force,
       CAST(nullif(trim(r."Longitude"), '') AS DOUBLE)                   AS longitude,
       CAST(nullif(trim(r."Latitude"), '') AS DOUBLE)                    AS latitude,
       upper(nullif(trim(r."LSOA code"), ''))                            AS lsoa_code,
       CASE WHEN lower(trim(r."Location")) = 'no location' THEN NULL
            ELSE regexp_replace(trim(r."Location"), '\s+', ' ', 'g') END AS location_description,
       nullif(trim(r."Last outcome category"), '')                       AS last_outcome,
       r.filename                                                        AS source_file,
       CASE WHEN c.entity IS NULL THEN 'rejected'
            WHEN nullif(trim(r."Crime ID"), '') IS NULL THEN 'kept'
            WHEN row_number() OVER (PARTITION BY nullif(trim(r."Crime ID"), '') ORDER BY trim(r."Month") DESC, r.filename,
                                    nullif(trim(r."LSOA code"), '') NULLS LAST, r."Longitude", r."Latitude", r."Location", r."Crime type") = 1 THEN 'kept'
            ELSE 'duplicate' END                                         AS disposition
FROM raw r LEFT JOIN categories c ON c.crime_type = trim(r."Crime type");
