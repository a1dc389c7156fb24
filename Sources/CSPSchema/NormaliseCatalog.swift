/// What stage 4 publishes: the stage 2 entities (when stage 3 produced them) and the two reference tables.
public enum NormaliseCatalog {
    /// The entities, in publishing order.
    public static let entities: [EntitySchema] = [
        Entities.crimes, Entities.victims, Entities.offenders, Entities.asbIncidents, Entities.fireIncidents,
        Entities.yosCases, Entities.surveyResponses, Entities.stopSearches, Entities.outcomes,
    ]

    /// Natural keys: the column stage 2 deduplicates each entity on. Blank keys (data.police.uk ASB rows) are NULL and never clash.
    public static let naturalKeys: [String: String] = [
        "crimes": "crime_ref",
        "asb_incidents": "incident_ref",
        "fire_incidents": "incident_ref",
        "survey_responses": "respondent_ref",
    ]

    /// Boolean columns whose true rows are outside their dataset's natural key: a data.police.uk Crime ID published for
    /// several different records (`crime_ref_collision`, stage 2) is shared by those rows, so `crimes` is
    /// `UNIQUE(crime_ref) WHERE NOT crime_ref_collision`; every row stays `UNIQUE(source_file, source_record)`.
    public static let naturalKeyExemptions: [String: String] = [
        "crimes": "crime_ref_collision",
    ]

    /// `areas.csv`: every layer's codes and names.
    public static let areas = PublishedDataset(name: "areas", meaning: "one area of one layer (ward, local authority, old ward, SNT area, town, named place, ...)", columns: [
        PublishedColumn(name: "layer", type: .text, meaning: "area layer: ward, la, and the pipeline's other layers (as in the datasets' <layer>_code columns)", role: .reference, notNull: true),
        PublishedColumn(name: "code", type: .text, meaning: "area code, unique within its layer", role: .reference, notNull: true),
        PublishedColumn(name: "name", type: .text, meaning: "area name", role: .reference),
        PublishedColumn(name: "la_code", type: .text, meaning: "local authority the area lies in", role: .reference),
        PublishedColumn(name: "ward_code", type: .text, meaning: "ward the area lies in, where it lies in one", role: .reference),
    ], naturalKey: nil, hasLineage: false)

    /// `population_ethnicity.csv`: Census 2021 residents by broad ethnic group of the partnership and its force area
    /// (stage 3's `EthnicityResidents`), the denominators of stop and search by ethnicity. Loaded only when stage 3 wrote it.
    public static let populationEthnicity = PublishedDataset(name: "population_ethnicity", meaning: "the Census 2021 residents (TS021) of one broad ethnic group in the partnership or its police force area", columns: [
        PublishedColumn(name: "area_kind", type: .text, meaning: "partnership (its councils' LSOAs) or force (every LSOA of the force's councils)", role: .reference, notNull: true),
        PublishedColumn(name: "area_code", type: .text, meaning: "the partnership's code (council or CSP) or the force's PFA24 code", role: .reference, notNull: true),
        PublishedColumn(name: "area_name", type: .text, meaning: "the area's name", role: .reference),
        PublishedColumn(name: "force_slug", type: .text, meaning: "for a force, the slug of its data.police.uk files (as in stop_search_force.force); blank for a partnership", role: .reference),
        PublishedColumn(name: "ethnic_group", type: .text, meaning: "Asian, Black, Mixed, White or Other (the leading word of the Census 2021 group)", role: .reference, notNull: true),
        PublishedColumn(name: "residents", type: .integer, meaning: "usual residents of the group, summed over the area's 2021 LSOAs (each LSOA whole to its best-fit council)", role: .reference, notNull: true),
        PublishedColumn(name: "lsoas", type: .integer, meaning: "2021 LSOAs summed", role: .reference),
    ], naturalKey: nil, hasLineage: false)

    /// The reference tables stage 4 loads only when stage 3 wrote them (others get an empty table).
    public static let optionalReferences: Set<String> = ["population_ethnicity", "stop_search_force"]

    /// `stop_search_force.csv`: every stop-and-search record stage 3 read, counted, with where it was placed (stage 3's
    /// `StopSearchForceCounts`). Loaded only when stage 3 wrote it.
    public static let stopSearchForce = PublishedDataset(name: "stop_search_force", meaning: "the number of stop-and-search records of one force and month with the same ethnicities, legislation, linked outcome and placement, in the partnership or not", columns: [
        PublishedColumn(name: "force", type: .text, meaning: "the slug of the data.police.uk file the records came from", role: .reference),
        PublishedColumn(name: "month", type: .month, meaning: "month of the searches", role: .reference),
        PublishedColumn(name: "self_defined_ethnicity", type: .text, meaning: "as published; blank when not recorded", role: .reference),
        PublishedColumn(name: "officer_defined_ethnicity", type: .text, meaning: "as published; blank when not recorded", role: .reference),
        PublishedColumn(name: "legislation", type: .text, meaning: "as published", role: .reference),
        PublishedColumn(name: "outcome_linked", type: .text, meaning: "stage 2's value: true, false or blank", role: .reference),
        PublishedColumn(name: "placement", type: .text, meaning: "area (in stop_searches), outside (located outside the area) or none (no location)", role: .reference, notNull: true),
        PublishedColumn(name: "searches", type: .integer, meaning: "records", role: .reference, notNull: true),
    ], naturalKey: nil, hasLineage: false)

    /// `population.csv`: residents per area, for rates per 1,000.
    public static let population = PublishedDataset(name: "population", meaning: "the resident population of one area", columns: [
        PublishedColumn(name: "layer", type: .text, meaning: "area layer, as in areas.layer", role: .reference, notNull: true),
        PublishedColumn(name: "code", type: .text, meaning: "area code, as in areas.code", role: .reference, notNull: true),
        PublishedColumn(name: "population", type: .integer, meaning: "resident population; blank when unknown (method best-fit-incomplete)", role: .reference),
        PublishedColumn(name: "method", type: .text, meaning: "how the figure was obtained: given (the population table's own figure for the ward); apportioned (the units inside the area, a unit shared with other areas in proportion to its area inside it); best-fit (the whole LSOAs whose best-fit area it is, by the LSOA lookup: the area holding the LSOA's population-weighted centroid; for csp and pfa, the LSOAs a record would give it); best-fit-none (0: no LSOA has it as best fit, a known zero of the method); best-fit-incomplete (no figure: an LSOA of the area has no population row); wards (a local authority: the sum of its wards)", role: .reference),
        PublishedColumn(name: "note", type: .text, meaning: "why a figure is 0 or missing; blank otherwise", role: .reference),
    ], naturalKey: nil, hasLineage: false)

    /// The outline of every area of every layer, for maps: stage 5 draws from this table and opens no boundary file.
    public static let geometry = PublishedDataset(name: "geometry", meaning: "the outline of one area of one layer", columns: [
        PublishedColumn(name: "layer", type: .text, meaning: "area layer, as in areas.layer", role: .reference, notNull: true),
        PublishedColumn(name: "code", type: .text, meaning: "area code, as in areas.code", role: .reference, notNull: true),
        PublishedColumn(name: "name", type: .text, meaning: "area name", role: .reference),
        PublishedColumn(name: "wkt", type: .text, meaning: "outline as WKT MULTIPOLYGON in British National Grid metres (EPSG:27700), whole metres, as stage 3 read it from the boundary files", role: .reference),
    ], naturalKey: nil, hasLineage: false)


    /// `coverage.csv`: stage 1's calendar of monthly exports, carried through stages 2 and 3.
    public static let coverage = PublishedDataset(name: "coverage", meaning: "one source, force and month of the span of the monthly exports read (the coverage calendar)", columns: [
        PublishedColumn(name: "source", type: .text, meaning: "source id in the pipeline", role: .reference, notNull: true),
        PublishedColumn(name: "force", type: .text, meaning: "police force slug of a data.police.uk file name (YYYY-MM-<force>-<type>.csv); blank for exports without one", role: .reference),
        PublishedColumn(name: "month", type: .month, meaning: "calendar month, YYYY-MM", role: .reference, notNull: true),
        PublishedColumn(name: "status", type: .text, meaning: "present; missing (no file); short (fewer rows than half the median of the up to six months with a file on each side); duplicated (a copy of a file already read, by bytes or real path, refused; or two or more different files for the same source, force and month)", role: .reference, notNull: true),
        PublishedColumn(name: "files", type: .integer, meaning: "files read for the month", role: .reference),
        PublishedColumn(name: "rows", type: .integer, meaning: "records in those files (rejected ones included)", role: .reference),
        PublishedColumn(name: "no_location_share", type: .real, meaning: "street files: share of rows with no coordinates", role: .reference),
        PublishedColumn(name: "no_lsoa_share", type: .real, meaning: "street files: share of rows with no LSOA code", role: .reference),
        PublishedColumn(name: "no_crime_id_share", type: .real, meaning: "street files: share of rows with no Crime ID (anti-social behaviour)", role: .reference),
        PublishedColumn(name: "repeated_crime_id_share", type: .real, meaning: "street files: share of rows whose Crime ID already appeared in the same file", role: .reference),
        PublishedColumn(name: "file_names", type: .text, meaning: "the files read, separated by `;` (relative to the pipeline's folder)", role: .reference),
    ], naturalKey: nil, hasLineage: false)

    /// Unique column sets of the reference tables.
    package static func referenceKeys(_ name: String) -> [String] {
        switch name {
        case "coverage": return ["source", "force", "month"]
        case "population_ethnicity": return ["area_kind", "ethnic_group"]
        case "stop_search_force": return ["force", "month", "self_defined_ethnicity", "officer_defined_ethnicity", "legislation", "outcome_linked", "placement"]
        default: return ["layer", "code"]
        }
    }
}
