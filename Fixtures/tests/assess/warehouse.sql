-- Hand-made warehouse for the stage 5 golden test: only the columns stage 5 reads.
-- 24 months, July 2007 - June 2009. Wards W1-W3 (W1 a wounding hotspot), one out-of-area ward X1 (ignored).
CREATE TABLE crimes (id INTEGER PRIMARY KEY, crime_ref TEXT, month TEXT, offence_group TEXT, domestic INTEGER,
  ward_code TEXT, ward08_code TEXT, place_code TEXT);
CREATE TABLE victims (id INTEGER PRIMARY KEY, crime_ref TEXT, sex TEXT, age_band TEXT, ethnicity_group TEXT);
CREATE TABLE offenders (id INTEGER PRIMARY KEY, crime_ref TEXT, sex TEXT, age_band TEXT, ethnicity_group TEXT);
CREATE TABLE areas (id INTEGER PRIMARY KEY, layer TEXT, code TEXT, name TEXT, la_code TEXT, ward_code TEXT);
CREATE TABLE population (id INTEGER PRIMARY KEY, layer TEXT, code TEXT, population INTEGER);
CREATE TABLE survey_responses (id INTEGER PRIMARY KEY, weight REAL,
  q_noisy_neighbours_score INTEGER, q_teenagers_score INTEGER, q_rubbish_score INTEGER, q_vandalism_score INTEGER,
  q_drugs_score INTEGER, q_drunk_rowdy_score INTEGER, q_abandoned_cars_score INTEGER,
  q_deal_with_concerns TEXT, q_understand_concerns TEXT, ward_code TEXT, ward_name TEXT);
INSERT INTO areas (layer, code, name, la_code, ward_code) VALUES
  ('ward', 'W1', 'Northtown', 'E06000099', 'W1'), ('ward', 'W2', 'Southvale', 'E06000099', 'W2'),
  ('ward', 'W3', 'Eastfield', 'E06000099', 'W3'), ('ward', 'X1', 'Elsewhere', 'E06000001', 'X1'),
  ('place', 'P1', 'Northtown centre', 'E06000099', 'W1');
INSERT INTO population (layer, code, population) VALUES ('ward', 'W1', 5000), ('ward', 'W2', 5000), ('ward', 'W3', 10000);
-- Months 0..23 from 2007-07.
WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < 23),
months AS (SELECT i, printf('%04d-%02d', 2007 + (6 + i) / 12, (6 + i) % 12 + 1) AS month, (6 + i) % 12 + 1 AS cal FROM m),
-- Wounding: 10 + i/2 a month, doubled in June-August; W1 takes 3 in 5, W2 and W3 the rest.
wound AS (SELECT months.*, (10 + i / 2) * (CASE WHEN cal IN (6, 7, 8) THEN 2 ELSE 1 END) AS n FROM months),
k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 80)
INSERT INTO crimes (crime_ref, month, offence_group, domestic, ward_code, ward08_code, place_code)
SELECT printf('W%02d-%02d', i, j), month, 'wounding', CASE WHEN j % 4 = 0 THEN 1 ELSE 0 END,
       CASE WHEN j % 5 < 3 THEN 'W1' WHEN j % 5 = 3 THEN 'W2' ELSE 'W3' END, NULL,
       CASE WHEN j % 5 = 0 THEN 'P1' ELSE NULL END
FROM wound JOIN k ON k.j < wound.n;
-- Domestic burglary: 12 a month, 24 in December-February; spread over the wards by population.
WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < 23),
months AS (SELECT i, printf('%04d-%02d', 2007 + (6 + i) / 12, (6 + i) % 12 + 1) AS month, (6 + i) % 12 + 1 AS cal FROM m),
burg AS (SELECT months.*, CASE WHEN cal IN (12, 1, 2) THEN 24 ELSE 12 END AS n FROM months),
k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 30)
INSERT INTO crimes (crime_ref, month, offence_group, domestic, ward_code, ward08_code, place_code)
SELECT printf('B%02d-%02d', i, j), month, 'burglary_dwelling', 0,
       CASE WHEN j % 4 = 0 THEN 'W1' WHEN j % 4 = 1 THEN 'W2' ELSE 'W3' END, NULL, NULL
FROM burg JOIN k ON k.j < burg.n;
-- Victims and offenders of wounding: young white males, with some unknowns; burglary victims older women.
INSERT INTO offenders (crime_ref, sex, age_band, ethnicity_group)
SELECT crime_ref, CASE WHEN id % 6 = 0 THEN 'F' ELSE 'M' END, CASE WHEN id % 3 = 0 THEN '10-19' ELSE '20-29' END,
       CASE WHEN id % 7 = 0 THEN 'Asian' WHEN id % 11 = 0 THEN 'Not known' ELSE 'White European' END
FROM crimes WHERE offence_group = 'wounding';
INSERT INTO victims (crime_ref, sex, age_band, ethnicity_group)
SELECT crime_ref, CASE WHEN id % 2 = 0 THEN 'F' ELSE 'M' END, CASE WHEN id % 2 = 0 THEN '20-29' ELSE '30-39' END, 'White European'
FROM crimes WHERE offence_group = 'wounding';
INSERT INTO victims (crime_ref, sex, age_band, ethnicity_group)
SELECT crime_ref, CASE WHEN id % 4 = 0 THEN 'M' ELSE 'F' END, CASE WHEN id % 3 = 0 THEN '70-79' ELSE '80+' END, 'White European'
FROM crimes WHERE offence_group = 'burglary_dwelling';
-- Survey: 40 respondents, weights 0.5-1.5; a quarter score 12 on the strands (high ASB perception).
WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 39)
INSERT INTO survey_responses (weight, q_noisy_neighbours_score, q_teenagers_score, q_rubbish_score, q_vandalism_score,
  q_drugs_score, q_drunk_rowdy_score, q_abandoned_cars_score, q_deal_with_concerns, q_understand_concerns, ward_code, ward_name)
SELECT 0.5 + (i % 3) * 0.5,
       CASE WHEN i % 4 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 4 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 4 = 0 THEN 2 ELSE 0 END,
       CASE WHEN i % 4 = 0 THEN 2 ELSE 0 END, CASE WHEN i % 5 = 0 THEN 3 WHEN i % 13 = 0 THEN NULL ELSE 1 END,
       CASE WHEN i % 3 = 0 THEN 2 ELSE 0 END, CASE WHEN i % 4 = 0 THEN 2 ELSE 0 END,
       CASE i % 5 WHEN 0 THEN 'strongly_agree' WHEN 1 THEN 'tend_to_agree' WHEN 2 THEN 'neither' WHEN 3 THEN 'dont_know' ELSE 'tend_to_disagree' END,
       CASE WHEN i % 2 = 0 THEN 'tend_to_agree' ELSE 'strongly_disagree' END,
       CASE WHEN i % 2 = 0 THEN 'W1' ELSE 'W3' END, CASE WHEN i % 2 = 0 THEN 'Northtown' ELSE 'Eastfield' END
FROM r;
