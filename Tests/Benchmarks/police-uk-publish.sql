-- Stage 4's outputs that the DuckDB references share (reference.sql, national.sql; put in place of their
-- `-- include police-uk-publish.sql` line by duckdb_stages.py): a CSV per dataset, the duplicates and the rejects.
-- Each script writes its own excluded.csv (the reasons differ). Placeholder: {out}.
COPY crimes TO '{out}/crimes.csv' (HEADER);
COPY asb_incidents TO '{out}/asb_incidents.csv' (HEADER);
COPY (SELECT source_file, crime_ref, month FROM typed WHERE disposition = 'duplicate') TO '{out}/duplicates.csv' (HEADER);
COPY (SELECT * FROM typed WHERE disposition = 'rejected') TO '{out}/rejects.csv' (HEADER);
