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

    /// `areas.csv`: every layer's codes and names.
    public static let areas = PublishedDataset(name: "areas", meaning: "one area of one layer (ward, local authority, old ward, SNT area, town, named place, ...)", columns: [
        PublishedColumn(name: "layer", type: .text, meaning: "area layer: ward, la, and the pipeline's other layers (as in the datasets' <layer>_code columns)", role: .reference, notNull: true),
        PublishedColumn(name: "code", type: .text, meaning: "area code, unique within its layer", role: .reference, notNull: true),
        PublishedColumn(name: "name", type: .text, meaning: "area name", role: .reference),
        PublishedColumn(name: "la_code", type: .text, meaning: "local authority the area lies in", role: .reference),
        PublishedColumn(name: "ward_code", type: .text, meaning: "ward the area lies in, where it lies in one", role: .reference),
    ], naturalKey: nil, hasLineage: false)

    /// `population.csv`: residents per area, for rates per 1,000.
    public static let population = PublishedDataset(name: "population", meaning: "the resident population of one area", columns: [
        PublishedColumn(name: "layer", type: .text, meaning: "area layer, as in areas.layer", role: .reference, notNull: true),
        PublishedColumn(name: "code", type: .text, meaning: "area code, as in areas.code", role: .reference, notNull: true),
        PublishedColumn(name: "population", type: .integer, meaning: "resident population", role: .reference),
    ], naturalKey: nil, hasLineage: false)

    /// Unique column sets of the reference tables.
    static func referenceKeys(_ name: String) -> [String] { ["layer", "code"] }
}
