-- Hand-made warehouse for the outcomes and stop-and-search tests (AssessOutcomesTests; the values are checked by
-- Tests/Reference/outcomes_reference.py). 24 months, May 2022 - April 2024; twelve_months = May 2023 - April 2024.
CREATE TABLE crimes (id INTEGER PRIMARY KEY, crime_ref TEXT, month TEXT, offence_group TEXT, ward_code TEXT);
CREATE TABLE asb_incidents (id INTEGER PRIMARY KEY, month TEXT, ward_code TEXT);
CREATE TABLE outcomes (id INTEGER PRIMARY KEY, crime_ref TEXT, month TEXT, outcome_type TEXT);
CREATE TABLE stop_searches (id INTEGER PRIMARY KEY, month TEXT, object_of_search TEXT, outcome TEXT, outcome_linked INTEGER,
  age_range TEXT, sex TEXT, self_defined_ethnicity TEXT, ward_code TEXT);
CREATE TABLE areas (id INTEGER PRIMARY KEY, layer TEXT, code TEXT, name TEXT, la_code TEXT, ward_code TEXT);
CREATE TABLE population (id INTEGER PRIMARY KEY, layer TEXT, code TEXT, population INTEGER);
INSERT INTO areas (layer, code, name, la_code, ward_code) VALUES ('ward', 'W1', 'Northtown', 'E06000099', 'W1'), ('ward', 'W2', 'Southvale', 'E06000099', 'W2');
INSERT INTO population (layer, code, population) VALUES ('ward', 'W1', 1200), ('ward', 'W2', 800);
-- Violence: 3 a month over 24 months (j = 0..71); burglary 1 a month; theft 2 a month.
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 71)
INSERT INTO crimes (crime_ref, month, offence_group, ward_code)
SELECT printf('V%03d', j), printf('%04d-%02d', 2022 + (4 + j / 3) / 12, (4 + j / 3) % 12 + 1), 'Violence', CASE WHEN j % 2 = 0 THEN 'W1' ELSE 'W2' END FROM k;
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 23)
INSERT INTO crimes (crime_ref, month, offence_group, ward_code)
SELECT printf('B%03d', j), printf('%04d-%02d', 2022 + (4 + j) / 12, (4 + j) % 12 + 1), 'Burglary', 'W1' FROM k;
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 47)
INSERT INTO crimes (crime_ref, month, offence_group, ward_code)
SELECT printf('T%03d', j), printf('%04d-%02d', 2022 + (4 + j / 2) / 12, (4 + j / 2) % 12 + 1), 'Theft', 'W2' FROM k;
-- A crime without a Crime ID (no outcome can be linked).
INSERT INTO crimes (crime_ref, month, offence_group, ward_code) VALUES (NULL, '2023-07', 'Violence', 'W1');
-- Outcomes, by the crime's number j: violence j % 10: 0-2 charged, 3 caution, 4-5 no suspect, 6-7 unable to prosecute,
-- 8 none, 9 another organisation; burglary j % 4: 0 no suspect, 1 charged, 2 none, 3 local resolution;
-- theft j % 3: 0 no suspect, 1 unable to prosecute, 2 none. Each outcome is recorded in the month after the crime.
INSERT INTO outcomes (crime_ref, month, outcome_type)
SELECT crime_ref, strftime('%Y-%m', month || '-01', '+1 month'),
  CASE substr(crime_ref, 1, 1)
    WHEN 'V' THEN CASE CAST(substr(crime_ref, 2) AS INTEGER) % 10 WHEN 0 THEN 'Suspect charged' WHEN 1 THEN 'Suspect charged'
      WHEN 2 THEN 'Suspect charged' WHEN 3 THEN 'Offender given a caution' WHEN 4 THEN 'Investigation complete; no suspect identified'
      WHEN 5 THEN 'Investigation complete; no suspect identified' WHEN 6 THEN 'Unable to prosecute suspect' WHEN 7 THEN 'Unable to prosecute suspect'
      WHEN 9 THEN 'Action to be taken by another organisation' END
    WHEN 'B' THEN CASE CAST(substr(crime_ref, 2) AS INTEGER) % 4 WHEN 0 THEN 'Investigation complete; no suspect identified'
      WHEN 1 THEN 'Suspect charged' WHEN 3 THEN 'Local resolution' END
    ELSE CASE CAST(substr(crime_ref, 2) AS INTEGER) % 3 WHEN 0 THEN 'Investigation complete; no suspect identified'
      WHEN 1 THEN 'Unable to prosecute suspect' END
  END
FROM crimes WHERE crime_ref IS NOT NULL;
DELETE FROM outcomes WHERE outcome_type IS NULL;
-- The cases the rules are about, on violence crimes of the period:
-- V044 (2023-07, no suspect in 2023-08) is charged later, in 2023-09: charge.
INSERT INTO outcomes (crime_ref, month, outcome_type) VALUES ('V044', '2023-09', 'Suspect charged');
-- V040 (2023-06, charged in 2023-07): unable to prosecute (another suspect) recorded after it in the same month; the
-- charge wins on precedence, not file order.
INSERT INTO outcomes (crime_ref, month, outcome_type) VALUES ('V040', '2023-07', 'Unable to prosecute suspect');
-- V066 (2024-03, unable to prosecute in 2024-04): charged in 2024-05, after the period's end: still unable to prosecute.
INSERT INTO outcomes (crime_ref, month, outcome_type) VALUES ('V066', '2024-05', 'Suspect charged');
-- V068 (2024-03, no outcome by rule): an outcome text the reference file does not name: other.
INSERT INTO outcomes (crime_ref, month, outcome_type) VALUES ('V068', '2024-04', 'A brand new outcome');
-- V071 (2024-04, charged in 2024-05, after the period): still under investigation, no outcome yet.
INSERT INTO outcomes (crime_ref, month, outcome_type) VALUES ('V071', '2024-04', 'Under investigation');
-- An outcome of a crime the warehouse does not hold.
INSERT INTO outcomes (crime_ref, month, outcome_type) VALUES ('ZZZ', '2023-09', 'Suspect charged');
-- ASB: 5 a month.
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 119)
INSERT INTO asb_incidents (month, ward_code) SELECT printf('%04d-%02d', 2022 + (4 + j / 5) / 12, (4 + j / 5) % 12 + 1), 'W1' FROM k;
-- Stop and search: 6 a month before the period, 9 a month in it (j = 0..179 in month order), with 2 firearms searches added.
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 179),
s AS (SELECT j, CASE WHEN j < 72 THEN 4 + j / 6 ELSE 16 + (j - 72) / 9 END AS m FROM k)
INSERT INTO stop_searches (month, object_of_search, outcome, outcome_linked, age_range, sex, self_defined_ethnicity, ward_code)
SELECT printf('%04d-%02d', 2022 + m / 12, m % 12 + 1),
  CASE j % 4 WHEN 3 THEN 'Offensive weapons' WHEN 2 THEN 'Stolen goods' ELSE 'Controlled drugs' END,
  CASE WHEN j % 5 = 0 THEN 'Arrest' ELSE 'A no further action disposal' END,
  CASE WHEN j % 5 = 0 THEN CASE WHEN j % 10 = 0 THEN 1 ELSE 0 END ELSE NULL END,
  CASE WHEN j % 7 = 0 THEN '' WHEN j % 3 = 0 THEN '10-17' WHEN j % 3 = 1 THEN '18-24' ELSE 'over 34' END,
  CASE WHEN j % 6 = 0 THEN 'F' ELSE 'M' END,
  CASE WHEN j % 9 = 0 THEN 'Asian/Asian British - Indian' WHEN j % 13 = 0 THEN 'Other ethnic group - Not stated' ELSE 'White - English/Welsh/Scottish/Northern Irish/British' END,
  'W1'
FROM s;
INSERT INTO stop_searches (month, object_of_search, outcome, outcome_linked, age_range, sex, self_defined_ethnicity, ward_code) VALUES
  ('2023-08', 'Firearms', 'Arrest', 1, '25-34', 'M', 'White - Any other White background', 'W2'),
  ('2024-01', 'Firearms', 'A no further action disposal', NULL, '25-34', 'U', NULL, 'W2');
