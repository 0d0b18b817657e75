-- The warehouse contract (../shared/docs/contract.md). Changes here change it for every part of the project.

CREATE TABLE units (
    commune_code  VARCHAR PRIMARY KEY CHECK (length(commune_code) = 5),
    commune_name  VARCHAR NOT NULL,
    commune_type  VARCHAR NOT NULL CHECK (commune_type IN ('phường', 'thị trấn', 'xã')),
    area          VARCHAR NOT NULL CHECK (area IN ('urban', 'rural')),
    district_code VARCHAR NOT NULL CHECK (length(district_code) = 3),
    district_name VARCHAR NOT NULL
);

-- The one display label of each commune, for tables, selectors and hovers: the official name where it is unique in
-- the province, else the name and a short form of its district, e.g. `Phường 1 (TP Bạc Liêu)` and
-- `Phường 1 (TX Giá Rai)`. Short forms: TP = Thành phố, TX = Thị xã, Q. = Quận, H. = Huyện. Queries join it with
-- `LEFT JOIN unit_labels USING (commune_code)`; `units.commune_name` stays the official name.
CREATE VIEW unit_labels AS
SELECT
    commune_code,
    CASE
        WHEN count(*) OVER (PARTITION BY commune_name) = 1 THEN commune_name
        ELSE commune_name || ' (' || regexp_replace(regexp_replace(regexp_replace(regexp_replace(district_name,
                 '^Thành phố ', 'TP '), '^Thị xã ', 'TX '), '^Quận ', 'Q. '), '^Huyện ', 'H. ') || ')'
    END AS commune_label
FROM units;

CREATE TABLE households (
    household_id VARCHAR PRIMARY KEY,
    commune_code VARCHAR NOT NULL REFERENCES units (commune_code),
    ethnicity    VARCHAR NOT NULL CHECK (ethnicity IN ('kinh', 'khmer', 'hoa', 'other'))
);

CREATE TABLE reviews (
    household_id       VARCHAR NOT NULL REFERENCES households (household_id),
    year               INTEGER NOT NULL,
    members            INTEGER NOT NULL CHECK (members >= 1),
    income_per_capita  INTEGER NOT NULL CHECK (income_per_capita >= 0),
    social_protection  BOOLEAN NOT NULL,
    d_employment       BOOLEAN NOT NULL,
    d_dependants       BOOLEAN NOT NULL,
    d_nutrition        BOOLEAN NOT NULL,
    d_health_insurance BOOLEAN NOT NULL,
    d_adult_education  BOOLEAN NOT NULL,
    d_child_schooling  BOOLEAN NOT NULL,
    d_housing_quality  BOOLEAN NOT NULL,
    d_floor_area       BOOLEAN NOT NULL,
    d_water            BOOLEAN NOT NULL,
    d_latrine          BOOLEAN NOT NULL,
    d_telecom          BOOLEAN NOT NULL,
    d_info_devices     BOOLEAN NOT NULL,
    PRIMARY KEY (household_id, year)
);

-- A poverty standard: lines in VND per person per month, years in force, and the indicators it counts.
CREATE TABLE standards (
    standard_id        VARCHAR PRIMARY KEY,
    name               VARCHAR NOT NULL,
    legal_basis        VARCHAR NOT NULL,
    first_year         INTEGER NOT NULL,
    last_year          INTEGER NOT NULL CHECK (last_year >= first_year),
    rural_poverty_line INTEGER NOT NULL,
    urban_poverty_line INTEGER NOT NULL,
    rural_average_line INTEGER NOT NULL CHECK (rural_average_line > rural_poverty_line),
    urban_average_line INTEGER NOT NULL CHECK (urban_average_line > urban_poverty_line),
    min_deprivations   INTEGER NOT NULL CHECK (min_deprivations >= 1),
    indicators         VARCHAR[] NOT NULL
);

CREATE TABLE indicators (
    standard_id VARCHAR NOT NULL REFERENCES standards (standard_id),
    indicator   VARCHAR NOT NULL,
    dimension   VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    label_vi    VARCHAR NOT NULL,
    label_en    VARCHAR NOT NULL,
    PRIMARY KEY (standard_id, indicator)
);

CREATE TABLE targets (
    scope    VARCHAR NOT NULL,
    year     INTEGER NOT NULL,
    kind     VARCHAR NOT NULL CHECK (kind IN ('reduction_points', 'rate_below', 'coverage_min', 'ratio_min')),
    value    DOUBLE NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    source   VARCHAR NOT NULL,
    PRIMARY KEY (scope, year, kind)
);

-- What the warehouse holds: dataset ('demo' or 'reviews'), seed, build time, and the demo scenario's provenance.
CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- The demo scenario the generator was calibrated to, with which figures are published and which assumed.
CREATE TABLE calibration (
    year           INTEGER PRIMARY KEY,
    poor_rate      DOUBLE NOT NULL,
    near_poor_rate DOUBLE NOT NULL,
    average_rate   DOUBLE NOT NULL,
    kind           VARCHAR NOT NULL CHECK (kind IN ('published', 'assumption')),
    source         VARCHAR NOT NULL
);

-- The classification rule: one row per review, classified by the standard in force that year (Decree
-- 07/2021/NĐ-CP for 2021–2026): income at or under the area's line and at least `min_deprivations` deprived → poor;
-- under the line with fewer → near-poor; above the line never poor or near-poor; under the average-living line →
-- average; else above. Evaluated live, it joins every review to its household (≈ 0.3 s a query at province size,
-- seconds at 10×), so its result is stored in `classified_rows` and read through `classified` below.
CREATE VIEW classified_live AS
WITH joined AS (
    SELECT
        r.*,
        h.commune_code,
        u.district_code,
        u.area,
        h.ethnicity,
        s.standard_id,
        CASE WHEN u.area = 'urban' THEN s.urban_poverty_line ELSE s.rural_poverty_line END AS poverty_line,
        CASE WHEN u.area = 'urban' THEN s.urban_average_line ELSE s.rural_average_line END AS average_line,
        s.min_deprivations,
        (list_contains(s.indicators, 'employment')       AND r.d_employment)::INTEGER
      + (list_contains(s.indicators, 'dependants')       AND r.d_dependants)::INTEGER
      + (list_contains(s.indicators, 'nutrition')        AND r.d_nutrition)::INTEGER
      + (list_contains(s.indicators, 'health_insurance') AND r.d_health_insurance)::INTEGER
      + (list_contains(s.indicators, 'adult_education')  AND r.d_adult_education)::INTEGER
      + (list_contains(s.indicators, 'child_schooling')  AND r.d_child_schooling)::INTEGER
      + (list_contains(s.indicators, 'housing_quality')  AND r.d_housing_quality)::INTEGER
      + (list_contains(s.indicators, 'floor_area')       AND r.d_floor_area)::INTEGER
      + (list_contains(s.indicators, 'water')            AND r.d_water)::INTEGER
      + (list_contains(s.indicators, 'latrine')          AND r.d_latrine)::INTEGER
      + (list_contains(s.indicators, 'telecom')          AND r.d_telecom)::INTEGER
      + (list_contains(s.indicators, 'info_devices')     AND r.d_info_devices)::INTEGER AS deprivation_count
    FROM reviews AS r
    JOIN households AS h USING (household_id)
    JOIN units AS u USING (commune_code)
    JOIN standards AS s ON r.year BETWEEN s.first_year AND s.last_year
)
SELECT
    * EXCLUDE (standard_id, poverty_line, average_line, min_deprivations),
    CASE
        WHEN income_per_capita <= poverty_line AND deprivation_count >= min_deprivations THEN 'poor'
        WHEN income_per_capita <= poverty_line THEN 'near_poor'
        WHEN income_per_capita <= average_line THEN 'average'
        ELSE 'above'
    END AS status
FROM joined;

-- The rule's result, stored. Only `data.warehouse.refresh_classified` writes it: the build after loading, and each
-- import inside its own transaction, for the years it touched; tests check it equals `classified_live`.
CREATE TABLE classified_rows AS SELECT * FROM classified_live LIMIT 0;

-- The contract's `classified` view: every figure the dashboard shows is computed from it.
CREATE VIEW classified AS SELECT * FROM classified_rows;

-- One row per review file loaded by `python -m data.ingest` (or the import page) and review year it carried.
-- Only the file's name and SHA-256 are kept, never its path or any of its personal-data columns.
CREATE TABLE imports (
    sha256             VARCHAR NOT NULL,
    year               INTEGER NOT NULL,
    file_name          VARCHAR NOT NULL,
    rows_read          INTEGER NOT NULL,
    rows_loaded        INTEGER NOT NULL,
    rows_rejected      INTEGER NOT NULL,
    households_new     INTEGER NOT NULL,
    households_updated INTEGER NOT NULL,
    loaded_at          TIMESTAMP NOT NULL,
    PRIMARY KEY (sha256, year)
);
