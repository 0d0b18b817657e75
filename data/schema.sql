-- The warehouse contract (../shared/docs/contract.md). Changes here change it for every part of the project.

-- The unit sets and the dates each is in force (data/reference/unit_sets.csv; law: Resolution 1655/NQ-UBTVQH15 of
-- 16 June 2025, in force 1 July 2025): 'former' = the 64 units of Tỉnh Bạc Liêu in 7 districts, 'current' = the 25 units
-- of Tỉnh Cà Mau they became (no districts). `in_force_from` NULL: in force before anything the warehouse holds.
CREATE TABLE unit_sets (
    unit_set      VARCHAR PRIMARY KEY CHECK (unit_set IN ('former', 'current')),
    province_code VARCHAR NOT NULL,
    province_name VARCHAR NOT NULL,
    in_force_from DATE,
    in_force_to   DATE CHECK (in_force_to IS NULL OR in_force_from IS NULL OR in_force_to >= in_force_from),
    legal_basis   VARCHAR NOT NULL
);

-- Commune-level units of both sets, from `vietnamadminunits`. A code may mean different units in the two sets
-- (31834: Xã Vĩnh Trạch, then Phường Vĩnh Trạch), so a unit is (unit_set, commune_code). Current units have no
-- district.
CREATE TABLE units (
    unit_set      VARCHAR NOT NULL REFERENCES unit_sets (unit_set),
    commune_code  VARCHAR NOT NULL CHECK (length(commune_code) = 5),
    commune_name  VARCHAR NOT NULL,
    commune_type  VARCHAR NOT NULL CHECK (commune_type IN ('phường', 'thị trấn', 'xã')),
    area          VARCHAR NOT NULL CHECK (area IN ('urban', 'rural')),
    district_code VARCHAR CHECK (length(district_code) = 3),
    district_name VARCHAR,
    PRIMARY KEY (unit_set, commune_code),
    CHECK ((unit_set = 'former') = (district_code IS NOT NULL AND district_name IS NOT NULL))
);

-- Each former unit → the current unit it lies in whole (vietnamadminunits' 2025 converter; none is split), so every
-- figure carries from former to current units exactly by summing.
CREATE TABLE unit_crosswalk (
    former_code  VARCHAR PRIMARY KEY,
    current_code VARCHAR NOT NULL
);

-- The date a review year's review counts as carried out: 1 September, when the annual review starts (it runs
-- September–December; Circular 07/2021/TT-BLĐTBXH, domain.md §6). Its units and their area are those in force then.
CREATE MACRO review_date(yr) AS make_date(yr, 9, 1);

-- The unit set a review year is filed and classified in (NULL when no set is in force on its review date).
CREATE MACRO review_unit_set(yr) AS (
    SELECT any_value(unit_set) FROM unit_sets
    WHERE review_date(yr) BETWEEN coalesce(in_force_from, DATE '0001-01-01') AND coalesce(in_force_to, DATE '9999-12-31')
);

-- The one display label of each unit, for tables, selectors and hovers: the official name where it is unique in
-- its set, else the name and a short form of its district, e.g. `Phường 1 (TP Bạc Liêu)` and
-- `Phường 1 (TX Giá Rai)`. Short forms: TP = Thành phố, TX = Thị xã, Q. = Quận, H. = Huyện. Queries join it on
-- (unit_set, commune_code); `units.commune_name` stays the official name.
CREATE VIEW unit_labels AS
SELECT
    unit_set,
    commune_code,
    CASE
        WHEN count(*) OVER (PARTITION BY unit_set, commune_name) = 1 OR district_name IS NULL THEN commune_name
        ELSE commune_name || ' (' || regexp_replace(regexp_replace(regexp_replace(regexp_replace(district_name,
                 '^Thành phố ', 'TP '), '^Thị xã ', 'TX '), '^Quận ', 'Q. '), '^Huyện ', 'H. ') || ')'
    END AS commune_label
FROM units;

-- The places a view of each unit set lists at each level, with their names: 'commune' = the units; 'district' =
-- the former districts, or, in the current set (which has none), the units themselves. `district_code` /
-- `district_name` are the group a place belongs to (the unit itself in the current set).
CREATE VIEW places AS
SELECT u.unit_set, 'commune' AS level, u.commune_code AS unit_code, l.commune_label AS unit_name,
       coalesce(u.district_code, u.commune_code) AS district_code,
       coalesce(u.district_name, u.commune_name) AS district_name
FROM units AS u JOIN unit_labels AS l USING (unit_set, commune_code)
UNION ALL
SELECT DISTINCT unit_set, 'district', district_code, district_name, district_code, district_name
FROM units WHERE district_code IS NOT NULL
UNION ALL
SELECT unit_set, 'district', commune_code, commune_name, commune_code, commune_name
FROM units WHERE district_code IS NULL;

-- A household and where it lives in both unit sets: `household_key` the warehouse's own key (1, 2, … in the order
-- households were first loaded, never reused; every other table names a household by it), `household_id` the
-- commune's code for it as files give it; `commune_code` its former commune (NULL when it was only ever reviewed
-- under the current units), `current_code` the current unit (the crosswalk's image of `commune_code` when that is
-- known). Households do not move; the importer refuses a move and keeps the two codes consistent.
-- Neither key is declared (no PRIMARY KEY, UNIQUE or REFERENCES on households, review_rows, classified_rows,
-- transitions_rows: DuckDB keeps such a constraint as an index as large as the column, in memory and on disk); both
-- are unique, and `data.warehouse.integrity_problems` checks that and every rule of `review_rows` below (the importer
-- refuses a load that breaks one; a test checks the built warehouse).
CREATE TABLE households (
    household_key INTEGER NOT NULL,
    household_id  VARCHAR NOT NULL,
    commune_code  VARCHAR,
    current_code  VARCHAR NOT NULL,
    ethnicity     VARCHAR NOT NULL CHECK (ethnicity IN ('kinh', 'khmer', 'hoa', 'other'))
);

-- The reviews, stored: one row per household (`household_key`, present in `households`) and review year, unique
-- (`integrity_problems`). The build writes them year by year (which compresses well); nothing relies on their order.
-- Read them through `reviews` below, except where speed matters (the importer, the classification).
CREATE TABLE review_rows (
    household_key      INTEGER NOT NULL,
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
    d_info_devices     BOOLEAN NOT NULL
);

-- The contract's `reviews`: one row per household (by its `household_id`) and review year, the columns of
-- `review_rows`. A join of every review to its household: for exports, tests and checks, never for a page.
CREATE VIEW reviews AS
SELECT h.household_id, r.* EXCLUDE (household_key)
FROM review_rows AS r
JOIN households AS h USING (household_key);

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

-- Rules the dashboard applies that are choices, not law (data/reference/settings.csv): review-year coverage,
-- the household count under which a rate is marked unreliable. Numbers, read by name in queries/.
CREATE TABLE settings (
    key         VARCHAR PRIMARY KEY,
    value       DOUBLE NOT NULL,
    description VARCHAR NOT NULL
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

-- The demo panel's events behind the flows between reviews (data/reference/panel_events.csv, all assumptions): the
-- yearly rates at which households leave the review, join it, are away at a review and come back, and are hit by a
-- shock (illness, crop or shrimp loss) that can make them newly poor or make a formerly poor household fall back;
-- `value` in `unit` (rates: shares 0–1 a year; sizes: points of the generator's poverty score). Only the demo build
-- fills it, as it does `calibration`.
CREATE TABLE panel_events (
    key      VARCHAR PRIMARY KEY,
    value    DOUBLE NOT NULL,
    unit     VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL CHECK (kind IN ('published', 'assumption')),
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL
);

-- The classification rule: one row per review, classified by the standard in force that year (Decree
-- 07/2021/NĐ-CP for 2021–2026) with the area of the household's unit in the set in force at the review
-- (`review_unit_set`: from the 2025 review on the current units, so a household in former Xã Vĩnh Trạch, now Phường
-- Vĩnh Trạch, is judged on the rural line in 2024 and the urban line in 2025): income at or under the area's line
-- and at least `min_deprivations` deprived → poor; under the line with fewer → near-poor; above the line never poor or near-poor; under the average-living line →
-- average; else above. Evaluated live, it joins every review to its household (≈ 0.3 s a query at province size,
-- seconds at 10×), so its result is stored in `classified_rows` and read through `classified` below.
CREATE VIEW classified_live AS
WITH review_sets AS (
    SELECT year, review_unit_set(year) AS unit_set FROM (SELECT DISTINCT year FROM review_rows)
),
located AS (
    SELECT
        r.*,
        h.commune_code,
        f.district_code,
        h.current_code,
        y.unit_set,
        CASE y.unit_set WHEN 'current' THEN c.area WHEN 'former' THEN f.area END AS area,
        h.ethnicity
    FROM review_rows AS r
    JOIN review_sets AS y USING (year)
    JOIN households AS h USING (household_key)
    LEFT JOIN units AS f ON f.unit_set = 'former' AND f.commune_code = h.commune_code
    LEFT JOIN units AS c ON c.unit_set = 'current' AND c.commune_code = h.current_code
),
joined AS (
    SELECT
        r.*,
        s.standard_id,
        CASE WHEN r.area = 'urban' THEN s.urban_poverty_line ELSE s.rural_poverty_line END AS poverty_line,
        CASE WHEN r.area = 'urban' THEN s.urban_average_line ELSE s.rural_average_line END AS average_line,
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
    FROM located AS r
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

-- The contract's `classified` view: every figure the dashboard shows is computed from it. One row per review, the
-- columns of `review_rows` (`household_key`: join `households` for the household's code) and more:
-- `commune_code` / `district_code` its former commune and district (NULL for a household known only under the
-- current units), `current_code` its current unit, `unit_set` the set in force at the review, `area` that unit's area.
CREATE VIEW classified AS SELECT * FROM classified_rows;

-- `classified` seen in one unit set (`view_set` 'former' or 'current'): `commune_code` is the unit in that set and
-- `district_code` its group (the former district; in the current set, which has no districts, the unit itself).
-- Every year is there in both: a current unit's figures for years before 2025 are the sums of its former units
-- (exact: none is split); in the former set a review from 2025 on of a household whose former commune is unknown has
-- NULL codes, so it counts in the province total only.
CREATE MACRO classified_in(view_set) AS TABLE
SELECT
    * EXCLUDE (commune_code, district_code),
    CASE WHEN view_set = 'current' THEN current_code ELSE commune_code END AS commune_code,
    CASE WHEN view_set = 'current' THEN current_code ELSE district_code END AS district_code
FROM classified;

-- The classification summed into cells (issue 13): one row per combination of every column a filter or split reads
-- (the columns of `classified_rows` of that name, plus `baseline_status` / `baseline_area`), ≈ 10–100 k rows at any
-- scale instead of one per review, so page queries sum a few thousand rows instead of scanning every review.
-- Only `data.warehouse.refresh_classified` writes it, from `classified_rows`, for the same years (the build: every
-- year; an import: the years it touched, or every year when it touched the baseline year, which every other year's
-- `baseline_status` depends on); tests check it equals a GROUP BY over `classified`.
--   keys        year, unit_set, commune_code, district_code (former; NULL when unknown), current_code, area (in
--               force at the review), ethnicity, status, social_protection: as in `classified`;
--               baseline_status / baseline_area: the household's class and area at its review of
--               `plan_baseline_year()` (both NULL: not reviewed that year), for figures that follow the baseline
--               year's households (the income target).
--   measures    sums over the cell's households: households (count), members, deprivations (sum of
--               deprivation_count: the standard's indicators only), deprived_<indicator> (households with d_<indicator>
--               true, whatever the standard), income_ratio (sum of income per capita ÷ the poverty line of the
--               standard in force for the review's area, the classification's line: urban's for 'urban', else rural's).
-- A figure that needs one household (a household list, a join between reviews other than to the baseline) is not
-- here: read `classified` for it.
CREATE TABLE classified_cells (
    year                      INTEGER NOT NULL,
    unit_set                  VARCHAR,
    commune_code              VARCHAR,
    district_code             VARCHAR,
    current_code              VARCHAR,
    area                      VARCHAR,
    ethnicity                 VARCHAR,
    status                    VARCHAR,
    social_protection         BOOLEAN,
    baseline_status           VARCHAR,
    baseline_area             VARCHAR,
    households                BIGINT NOT NULL,
    members                   BIGINT NOT NULL,
    deprivations              BIGINT NOT NULL,
    deprived_employment       BIGINT NOT NULL,
    deprived_dependants       BIGINT NOT NULL,
    deprived_nutrition        BIGINT NOT NULL,
    deprived_health_insurance BIGINT NOT NULL,
    deprived_adult_education  BIGINT NOT NULL,
    deprived_child_schooling  BIGINT NOT NULL,
    deprived_housing_quality  BIGINT NOT NULL,
    deprived_floor_area       BIGINT NOT NULL,
    deprived_water            BIGINT NOT NULL,
    deprived_latrine          BIGINT NOT NULL,
    deprived_telecom          BIGINT NOT NULL,
    deprived_info_devices     BIGINT NOT NULL,
    income_ratio              DOUBLE NOT NULL
);

-- `classified_cells` seen in one unit set, as `classified_in(view_set)`: `commune_code` the unit in that set,
-- `district_code` its group (the current unit itself in the 'current' set).
CREATE MACRO cells_in(view_set) AS TABLE
SELECT
    * EXCLUDE (commune_code, district_code),
    CASE WHEN view_set = 'current' THEN current_code ELSE commune_code END AS commune_code,
    CASE WHEN view_set = 'current' THEN current_code ELSE district_code END AS district_code
FROM classified_cells;

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

-- ---------------------------------------------------------------------------------------------------------------
-- The plan's meanings, defined once and used by every query (pages, downloads, tests): who a filter selects, the
-- baseline year, which of the plan's targets judges a selection, its target path and its end goal.
-- Sources: the province's plan of Sept 2022 (targets.csv), the progress method of domain.md §5.

-- The population a selection of filters keeps: districts (a list, empty = all), area ('all', 'urban', 'rural') and
-- group ('all', 'kinh', 'minority' = not Kinh, 'khmer').
CREATE MACRO in_group(ethnicity, population_group) AS
    population_group = 'all'
    OR (population_group = 'kinh' AND ethnicity = 'kinh')
    OR (population_group = 'minority' AND ethnicity <> 'kinh')
    OR (population_group = 'khmer' AND ethnicity = 'khmer');

CREATE MACRO in_selection(district_code, area, ethnicity, districts, area_filter, population_group) AS
    (len(districts) = 0 OR list_contains(districts, district_code))
    AND (area_filter = 'all' OR area = area_filter)
    AND in_group(ethnicity, population_group);

-- The baseline year of the plan: the year before its first reduction step (the end-2021 review).
CREATE MACRO plan_baseline_year() AS
    (SELECT min(year) - 1 FROM targets WHERE scope = 'province' AND kind = 'reduction_points');

-- `classified_cells` (next to `classified_rows` above) as summed by `data.warehouse.refresh_classified` for the
-- years `years` (a list; NULL = every year): the one definition of a cell. Here because it reads the baseline year.
CREATE MACRO classified_cells_live(years) AS TABLE
SELECT
    c.year, c.unit_set, c.commune_code, c.district_code, c.current_code, c.area, c.ethnicity, c.status,
    c.social_protection,
    b.status AS baseline_status,
    b.area AS baseline_area,
    count(*)::BIGINT AS households,
    sum(c.members)::BIGINT AS members,
    sum(c.deprivation_count)::BIGINT AS deprivations,
    sum(c.d_employment::INTEGER)::BIGINT AS deprived_employment,
    sum(c.d_dependants::INTEGER)::BIGINT AS deprived_dependants,
    sum(c.d_nutrition::INTEGER)::BIGINT AS deprived_nutrition,
    sum(c.d_health_insurance::INTEGER)::BIGINT AS deprived_health_insurance,
    sum(c.d_adult_education::INTEGER)::BIGINT AS deprived_adult_education,
    sum(c.d_child_schooling::INTEGER)::BIGINT AS deprived_child_schooling,
    sum(c.d_housing_quality::INTEGER)::BIGINT AS deprived_housing_quality,
    sum(c.d_floor_area::INTEGER)::BIGINT AS deprived_floor_area,
    sum(c.d_water::INTEGER)::BIGINT AS deprived_water,
    sum(c.d_latrine::INTEGER)::BIGINT AS deprived_latrine,
    sum(c.d_telecom::INTEGER)::BIGINT AS deprived_telecom,
    sum(c.d_info_devices::INTEGER)::BIGINT AS deprived_info_devices,
    -- a cell has one year and one area, so one line: an exact integer sum divided once (the same double whatever
    -- order the rows are summed in, so a refresh of the same reviews writes the same bits)
    sum(c.income_per_capita)
        / any_value(CASE WHEN c.area = 'urban' THEN s.urban_poverty_line ELSE s.rural_poverty_line END) AS income_ratio
FROM classified_rows AS c
JOIN standards AS s ON c.year BETWEEN s.first_year AND s.last_year
LEFT JOIN (SELECT household_key, status, area FROM classified_rows WHERE year = plan_baseline_year()) AS b
    USING (household_key)
WHERE years IS NULL OR list_contains(years, c.year)
GROUP BY ALL;

-- A setting by key (settings above).
CREATE MACRO setting(name) AS (SELECT value FROM settings WHERE key = name);

-- Which of the plan's poor-rate targets judges a selection: an ethnic-minority group → the ethnic-minority path
-- (1 point a year); else urban or rural households → the urban (< 1 %) or rural (< 2 %) ceiling, which does not count
-- poor social-protection households; else the province path (1.5 then 1 point a year, < 1 % by 2025).
CREATE MACRO plan_scope(area_filter, population_group) AS
    CASE
        WHEN population_group IN ('minority', 'khmer') THEN 'ethnic_minority'
        WHEN area_filter IN ('urban', 'rural') THEN area_filter
        ELSE 'province'
    END;

-- The cumulative reduction (percentage points) each scope's path requires by each year with a step.
CREATE VIEW plan_steps AS
SELECT scope, year, sum(value) OVER (PARTITION BY scope ORDER BY year) AS cumulative_reduction
FROM targets
WHERE kind = 'reduction_points';

-- One row per target scope: how its path runs (`path_kind` 'reduction_points': baseline minus cumulative steps;
-- 'end_year': a straight line to `target_value` in `target_year`), its end goal (`ceiling`: "under X %", met only
-- strictly below it; otherwise the path's end for reduction paths, or `target_value` for coverage and ratio targets,
-- met at or beyond it), `direction` 1 when lower is better, -1 when higher is better, and `path_floor`: no path asks
-- for less than the plan's own end goal (the scope's ceiling, else the province's), so a unit already near zero is
-- never asked to reach 0 % (only for lower-is-better rates).
CREATE VIEW plan_goals AS
WITH scopes AS (
    SELECT
        scope,
        CASE WHEN bool_or(kind = 'reduction_points') THEN 'reduction_points' ELSE 'end_year' END AS path_kind,
        CASE WHEN bool_or(kind = 'rate_below') THEN 'rate_below' ELSE any_value(kind) FILTER (kind <> 'rate_below')
        END AS goal_kind,
        max(year) AS target_year,
        max(value) FILTER (kind = 'rate_below') AS ceiling,
        arg_max(value, year) FILTER (kind <> 'reduction_points') AS target_value,
        sum(value) FILTER (kind = 'reduction_points') AS total_reduction,
        arg_max(label_vi, year) AS label_vi,
        arg_max(label_en, year) AS label_en,
        CASE WHEN bool_or(kind IN ('coverage_min', 'ratio_min')) THEN -1 ELSE 1 END AS direction
    FROM targets
    GROUP BY scope
)
SELECT
    *,
    CASE WHEN direction = 1
         THEN coalesce(ceiling, (SELECT max(value) FROM targets WHERE scope = 'province' AND kind = 'rate_below'), 0)
    END AS path_floor
FROM scopes;

-- The target path's value in year `yr` for a unit whose baseline value is `baseline_value` (domain.md §5):
-- 'reduction_points' → the baseline minus the cumulative reduction required by that year, but not below
-- `path_floor` (and never above the baseline); 'end_year' → a straight line from the baseline to `target_value` in
-- the target year, flat at the baseline when there is no gap to close. NULL before the baseline year.
CREATE MACRO plan_path_value(path_kind, baseline_value, cumulative_reduction, target_value, yr, baseline_yr,
                             target_yr, direction, path_floor) AS
    CASE
        WHEN yr < baseline_yr THEN NULL
        WHEN path_kind = 'reduction_points'
            THEN least(baseline_value, greatest(coalesce(path_floor, 0),
                                                baseline_value - coalesce(cumulative_reduction, 0)))
        WHEN direction * (baseline_value - target_value) <= 0 THEN baseline_value
        ELSE baseline_value + (target_value - baseline_value)
             * least(1.0, (yr - baseline_yr) / greatest(1, target_yr - baseline_yr))
    END;

-- The end goal a unit is judged against, in the measure's own unit: the ceiling where the scope has one, else the
-- reduction path's end (baseline − total reduction, not below `path_floor` nor above the baseline), else the
-- end-year target value.
CREATE MACRO plan_goal_value(ceiling, path_kind, baseline_value, total_reduction, target_value, path_floor) AS
    CASE
        WHEN ceiling IS NOT NULL THEN ceiling
        WHEN path_kind = 'reduction_points'
            THEN least(baseline_value, greatest(coalesce(path_floor, 0), baseline_value - total_reduction))
        ELSE target_value
    END;

-- How completely each review year covers the province, and whether it counts as complete (rule in `settings`):
-- at least `coverage_min_unit_share` of the units have reviews, and the reviewed households are at least
-- `coverage_min_household_share` of the previous review year's (the first year: the units rule alone). A partial
-- year is shown with its coverage and never judged on its own. One row per review year. Units are those of the set
-- in force that year (`unit_set`); `households_former_known`: reviews whose former commune is known (all of them
-- before 2025), the coverage of a former-units view of a later year.
CREATE VIEW review_coverage AS
WITH per_year AS (
    SELECT
        year,
        any_value(unit_set) AS unit_set,
        count(DISTINCT CASE unit_set WHEN 'current' THEN current_code ELSE commune_code END) AS units_reviewed,
        sum(households)::BIGINT AS households,
        coalesce(sum(households) FILTER (commune_code IS NOT NULL), 0)::BIGINT AS households_former_known
    FROM classified_cells  -- the stored sums (a few thousand rows), not every review: every page query joins it
    GROUP BY year
),
shares AS (
    SELECT
        year,
        unit_set,
        units_reviewed,
        (SELECT count(*) FROM units AS u WHERE u.unit_set = per_year.unit_set) AS units_expected,
        households_former_known,
        households,
        lag(households) OVER (ORDER BY year) AS previous_households
    FROM per_year
)
SELECT
    year,
    unit_set,
    units_reviewed,
    units_expected,
    households,
    households_former_known,
    previous_households,
    households / previous_households AS household_share,
    units_reviewed >= setting('coverage_min_unit_share') * units_expected
        AND (previous_households IS NULL
             OR households >= setting('coverage_min_household_share') * previous_households) AS complete
FROM shares;

-- ---------------------------------------------------------------------------------------------------------------
-- Flows between two consecutive reviews (Y−1 → Y): who escaped poverty, who fell back, who is newly poor. One
-- definition, read by the flows page, the annual report workbook (reports/annual.py) and the tests. The categories
-- follow the review's summary forms (Circular 07/2021/TT-BLĐTBXH, amended by Circular 02/2022/TT-BLĐTBXH): "hộ
-- thoát nghèo", "hộ tái nghèo", "hộ nghèo phát sinh".

-- Every category of the accounting, in the forms' order. For each class ('poor', 'near_poor'): side 'out' splits
-- the class's households at the start (the Y−1 review) by where they are at Y; side 'in' splits the class's
-- households at the end (the Y review) by where they were at Y−1. `sign` is how a category moves the class's count
-- from start to end (0: stayed in the class), so for each class, unit, year and filter
--     end = start + Σ sign × households (over both sides),
-- the identity the waterfall draws. 'reclassified_out' / 'reclassified_in': a household reviewed in both years
-- whose review fell outside / inside an area filter only because its unit's area changed (the 2025 reorganisation
-- made some rural communes urban wards); zero without an area filter.
CREATE VIEW flow_categories AS
SELECT * FROM (VALUES
    ('poor', 'out', 'stayed', 0, 1),
    ('poor', 'out', 'escaped_to_near_poor', -1, 2),
    ('poor', 'out', 'escaped_above', -1, 3),
    ('poor', 'out', 'left', -1, 4),
    ('poor', 'out', 'reclassified_out', -1, 5),
    ('poor', 'in', 'stayed', 0, 6),
    ('poor', 'in', 'from_near_poor', 1, 7),
    ('poor', 'in', 'fell_back', 1, 8),
    ('poor', 'in', 'newly_poor', 1, 9),
    ('poor', 'in', 'joined', 1, 10),
    ('poor', 'in', 'reclassified_in', 1, 11),
    ('near_poor', 'out', 'stayed', 0, 1),
    ('near_poor', 'out', 'became_poor', -1, 2),
    ('near_poor', 'out', 'escaped_above', -1, 3),
    ('near_poor', 'out', 'left', -1, 4),
    ('near_poor', 'out', 'reclassified_out', -1, 5),
    ('near_poor', 'in', 'stayed', 0, 6),
    ('near_poor', 'in', 'from_poor', 1, 7),
    ('near_poor', 'in', 'fell_back', 1, 8),
    ('near_poor', 'in', 'newly_near_poor', 1, 9),
    ('near_poor', 'in', 'joined', 1, 10),
    ('near_poor', 'in', 'reclassified_in', 1, 11)
) AS t (class, side, flow, sign, position);

-- Every household's passage from the review of Y−1 to the review of Y, for every Y whose previous calendar year
-- has reviews too: one row per household (`household_key`) reviewed in Y−1 or Y. `commune_code` / `district_code` (former, NULL when
-- unknown), `current_code`, `ethnicity` (households do not move); `start_status` / `end_status` the class at each
-- review (NULL: not reviewed that year), `start_area` / `end_area` the area in force at each review,
-- `start_members` / `end_members` (people), `end_d_health_insurance` (the Y review's health-insurance deprivation:
-- not every member aged 6+ insured); `poor_before` / `poor_or_near_poor_before`: poor (or near-poor) in any review
-- before Y−1. Each row depends on every earlier review, so it is stored in `transitions_rows` (below).
CREATE VIEW transitions_live AS
WITH seen AS (
    SELECT
        c.*,
        coalesce(bool_or(c.status = 'poor') OVER earlier, false) AS poor_before,
        coalesce(bool_or(c.status IN ('poor', 'near_poor')) OVER earlier, false) AS poor_or_near_poor_before
    FROM classified AS c
    WINDOW earlier AS (PARTITION BY c.household_key ORDER BY c.year ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
pair_years AS (
    SELECT y.year FROM (SELECT DISTINCT year FROM classified) AS y
    WHERE EXISTS (SELECT 1 FROM classified AS p WHERE p.year = y.year - 1)
)
SELECT
    coalesce(e.household_key, s.household_key) AS household_key,
    coalesce(e.year, s.year + 1) AS year,
    coalesce(e.commune_code, s.commune_code) AS commune_code,
    coalesce(e.district_code, s.district_code) AS district_code,
    coalesce(e.current_code, s.current_code) AS current_code,
    coalesce(e.ethnicity, s.ethnicity) AS ethnicity,
    s.status AS start_status,
    e.status AS end_status,
    s.area AS start_area,
    e.area AS end_area,
    s.members AS start_members,
    e.members AS end_members,
    e.d_health_insurance AS end_d_health_insurance,
    coalesce(s.poor_before, false) AS poor_before,
    coalesce(s.poor_or_near_poor_before, false) AS poor_or_near_poor_before
FROM (SELECT * FROM seen WHERE year + 1 IN (SELECT year FROM pair_years)) AS s
FULL JOIN (SELECT * FROM seen WHERE year IN (SELECT year FROM pair_years)) AS e
    ON e.household_key = s.household_key AND e.year = s.year + 1;

-- The passages, stored. Only `data.warehouse.refresh_classified` writes it, with `classified_rows` (every year
-- from the earliest one an import touched); tests check it equals `transitions_live`.
CREATE TABLE transitions_rows AS SELECT * FROM transitions_live LIMIT 0;

-- The passages summed into cells (issue 13): one row per year and combination of every column `flow_cells` reads
-- (the household's units and ethnicity, its class and area at each review, `poor_before`, `poor_or_near_poor_before`
-- and `end_d_health_insurance`), so the flow queries read ≈ 10–100 k cells instead of a row per household.
--   `households`: the passages in the cell (count, ≥ 1); `start_members` / `end_members`: their members at the start
--   / end review (people; NULL exactly when the cell's `start_status` / `end_status` is NULL: members are NOT NULL).
-- Only `data.warehouse.refresh_classified` writes it, from `transitions_rows` and for the same years; tests check it
-- equals a GROUP BY over `transitions_rows`.
CREATE TABLE transition_cells (
    year                     INTEGER NOT NULL,
    commune_code             VARCHAR,
    district_code            VARCHAR,
    current_code             VARCHAR,
    ethnicity                VARCHAR,
    start_status             VARCHAR,
    end_status               VARCHAR,
    start_area               VARCHAR,
    end_area                 VARCHAR,
    poor_before              BOOLEAN NOT NULL,
    poor_or_near_poor_before BOOLEAN NOT NULL,
    end_d_health_insurance   BOOLEAN,
    households               BIGINT NOT NULL,
    start_members            BIGINT,
    end_members              BIGINT
);

-- The categories of a passage on each side of each class's accounting (`flow_categories`), from its classes at the
-- two reviews ('poor', 'near_poor', 'average', 'above', 'not_reviewed', 'outside') and whether it was poor (or
-- near-poor) in a review before the start: NULL when the passage is not in that class at that end. Used by
-- `household_flows` and `flow_cells` alike (definitions below).
CREATE MACRO flow_poor_out(start_class, end_class) AS
    CASE WHEN start_class = 'poor' THEN
        CASE end_class WHEN 'not_reviewed' THEN 'left' WHEN 'outside' THEN 'reclassified_out' WHEN 'poor' THEN 'stayed'
                       WHEN 'near_poor' THEN 'escaped_to_near_poor' ELSE 'escaped_above' END
    END;

CREATE MACRO flow_poor_in(start_class, end_class, poor_before) AS
    CASE WHEN end_class = 'poor' THEN
        CASE WHEN start_class = 'not_reviewed' THEN 'joined'
             WHEN start_class = 'outside' THEN 'reclassified_in'
             WHEN start_class = 'poor' THEN 'stayed'
             WHEN start_class = 'near_poor' THEN 'from_near_poor'
             WHEN poor_before THEN 'fell_back'
             ELSE 'newly_poor' END
    END;

CREATE MACRO flow_near_poor_out(start_class, end_class) AS
    CASE WHEN start_class = 'near_poor' THEN
        CASE end_class WHEN 'not_reviewed' THEN 'left' WHEN 'outside' THEN 'reclassified_out'
                       WHEN 'near_poor' THEN 'stayed' WHEN 'poor' THEN 'became_poor' ELSE 'escaped_above' END
    END;

CREATE MACRO flow_near_poor_in(start_class, end_class, poor_or_near_poor_before) AS
    CASE WHEN end_class = 'near_poor' THEN
        CASE WHEN start_class = 'not_reviewed' THEN 'joined'
             WHEN start_class = 'outside' THEN 'reclassified_in'
             WHEN start_class = 'near_poor' THEN 'stayed'
             WHEN start_class = 'poor' THEN 'from_poor'
             WHEN poor_or_near_poor_before THEN 'fell_back'
             ELSE 'newly_near_poor' END
    END;

-- The flows under a filter, seen in the unit set `view_set` ('former' / 'current', as `classified_in`; filter
-- `districts`, `area_filter`, `population_group` as `in_selection`): one row per household (`household_key`) and Y
-- with a review selected at Y−1 or Y.
--   `commune_code` / `district_code`: its unit in `view_set` (NULL in the former set for a household known only
--   under the current units); `start_class` / `end_class`: 'poor', 'near_poor', 'average', 'above',
--   'not_reviewed' (no review that year) or 'outside' (reviewed, but the review falls outside the area filter
--   because the unit's area changed); `start_members` / `end_members` / `end_d_health_insurance`: of selected
--   reviews only;
--   `poor_out`, `poor_in`, `near_poor_out`, `near_poor_in`: the household's category on each side of each class's
--   accounting (`flow_categories`), NULL when it is not in that class at that end.
-- Definitions (issue 11): escaped = poor at Y−1, reviewed at Y and near-poor ('escaped_to_near_poor') or average /
-- above ('escaped_above'); left = no review at Y; fell back = poor at Y, neither poor nor near-poor at Y−1, poor in
-- an earlier review; newly poor = the same, never poor before; joined = no review at Y−1 (new, or back after a gap).
-- Near-poor alike: fell back = poor or near-poor in an earlier review; newly near-poor = never either before.
CREATE MACRO household_flows(view_set, districts, area_filter, population_group) AS TABLE
WITH placed AS (
    SELECT
        t.* EXCLUDE (commune_code, district_code),
        CASE WHEN view_set = 'current' THEN t.current_code ELSE t.commune_code END AS commune_code,
        CASE WHEN view_set = 'current' THEN t.current_code ELSE t.district_code END AS district_code
    FROM transitions_rows AS t
),
selected AS (
    SELECT
        *,
        start_status IS NOT NULL AND coalesce(in_selection(district_code, start_area, ethnicity, districts,
                                                           area_filter, population_group), false) AS start_selected,
        end_status IS NOT NULL AND coalesce(in_selection(district_code, end_area, ethnicity, districts,
                                                         area_filter, population_group), false) AS end_selected
    FROM placed
),
pairs AS (
    SELECT
        household_key, year, commune_code, district_code, current_code, ethnicity,
        CASE WHEN start_status IS NULL THEN 'not_reviewed' WHEN NOT start_selected THEN 'outside' ELSE start_status END
            AS start_class,
        CASE WHEN end_status IS NULL THEN 'not_reviewed' WHEN NOT end_selected THEN 'outside' ELSE end_status END
            AS end_class,
        CASE WHEN start_selected THEN start_members END AS start_members,
        CASE WHEN end_selected THEN end_members END AS end_members,
        CASE WHEN end_selected THEN end_d_health_insurance END AS end_d_health_insurance,
        poor_before,
        poor_or_near_poor_before
    FROM selected
    WHERE start_selected OR end_selected
)
SELECT
    *,
    flow_poor_out(start_class, end_class) AS poor_out,
    flow_poor_in(start_class, end_class, poor_before) AS poor_in,
    flow_near_poor_out(start_class, end_class) AS near_poor_out,
    flow_near_poor_in(start_class, end_class, poor_or_near_poor_before) AS near_poor_in
FROM pairs;

-- `household_flows` over `transition_cells`: the same columns without `household_key`, one row per cell and Y with
-- a review selected at Y−1 or Y, plus `households` (the cell's passages); `start_members` / `end_members` are the
-- cell's sums (people) of selected reviews only. Count households with `sum(households)`, not `count(*)`; a cell's
-- households share every column, so every filter and split `household_flows` allows gives the same figures
-- (queries/poverty_flows.sql, flow_units.sql, flow_transitions.sql, other_targets_progress.sql read this one;
-- tests compare them with their former text over `household_flows`).
CREATE MACRO flow_cells(view_set, districts, area_filter, population_group) AS TABLE
WITH placed AS (
    SELECT
        t.* EXCLUDE (commune_code, district_code),
        CASE WHEN view_set = 'current' THEN t.current_code ELSE t.commune_code END AS commune_code,
        CASE WHEN view_set = 'current' THEN t.current_code ELSE t.district_code END AS district_code
    FROM transition_cells AS t
),
selected AS (
    SELECT
        *,
        start_status IS NOT NULL AND coalesce(in_selection(district_code, start_area, ethnicity, districts,
                                                           area_filter, population_group), false) AS start_selected,
        end_status IS NOT NULL AND coalesce(in_selection(district_code, end_area, ethnicity, districts,
                                                         area_filter, population_group), false) AS end_selected
    FROM placed
),
pairs AS (
    SELECT
        year, commune_code, district_code, current_code, ethnicity,
        CASE WHEN start_status IS NULL THEN 'not_reviewed' WHEN NOT start_selected THEN 'outside' ELSE start_status END
            AS start_class,
        CASE WHEN end_status IS NULL THEN 'not_reviewed' WHEN NOT end_selected THEN 'outside' ELSE end_status END
            AS end_class,
        CASE WHEN start_selected THEN start_members END AS start_members,
        CASE WHEN end_selected THEN end_members END AS end_members,
        CASE WHEN end_selected THEN end_d_health_insurance END AS end_d_health_insurance,
        poor_before,
        poor_or_near_poor_before,
        households
    FROM selected
    WHERE start_selected OR end_selected
)
SELECT
    *,
    flow_poor_out(start_class, end_class) AS poor_out,
    flow_poor_in(start_class, end_class, poor_before) AS poor_in,
    flow_near_poor_out(start_class, end_class) AS near_poor_out,
    flow_near_poor_in(start_class, end_class, poor_or_near_poor_before) AS near_poor_in
FROM pairs;

-- Whether a household escaped poverty between two reviews, from its `poor_out` (of `household_flows` or of a
-- `flow_cells` cell): poor at Y−1, reviewed at Y and near-poor or above there ("hộ thoát nghèo"). The escaped
-- households' health-insurance target (queries/other_targets_progress.sql, and per unit queries/flow_units.sql)
-- counts these.
CREATE MACRO escaped_poverty(poor_out) AS coalesce(poor_out IN ('escaped_to_near_poor', 'escaped_above'), false);

-- The report's rows (reports/annual.py, queries/report_*.sql), from a GROUP BY GROUPING SETS over (district_code,
-- commune_code) of `classified_in`: `report_level` is 'total', 'district', 'commune', or 'unknown' (households whose
-- former commune is unknown, in a former-units report of a year filed in the current units); `report_unit` the
-- row's code ('total', the district's, the commune's, or 'unknown'). Arguments: the two columns' `grouping()`.
CREATE MACRO report_level(district_grouped, commune_grouped, commune_code) AS
    CASE
        WHEN district_grouped = 1 THEN 'total'
        WHEN commune_grouped = 1 THEN 'district'
        WHEN commune_code IS NULL THEN 'unknown'
        ELSE 'commune'
    END;

CREATE MACRO report_unit(district_grouped, commune_grouped, district_code, commune_code) AS
    CASE
        WHEN district_grouped = 1 THEN 'total'
        WHEN commune_grouped = 1 THEN district_code
        ELSE coalesce(commune_code, 'unknown')
    END;
