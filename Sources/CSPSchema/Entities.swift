/// The cleaned entities stage 2 writes. Names, dates of birth and address text are not among their columns.
public enum Entities {
    /// Recorded crimes (CMSII exports and data.police.uk street files).
    public static let crimes = EntitySchema("crimes", "one recorded crime", [
        ("crime_ref", .text, "keyed pseudonym of the force crime number (CMSII), or the data.police.uk Crime ID as published"),
        ("month", .month, "YYYY-MM of the committed-from date (CMSII) or the published month (data.police.uk)"),
        ("committed_from", .datetime, "start of the period in which the crime was committed, ISO 8601 local time"),
        ("committed_to", .datetime, "end of that period; blank when the export gave none"),
        ("recorded_date", .date, "date the crime was recorded"),
        ("ho_code", .text, "Home Office offence classification code as exported (trimmed, upper case)"),
        ("offence_description", .text, "offence description from the reference table"),
        ("offence_group", .text, "analysis group from the offence-code reference table (burglary_dwelling, wounding, ...)"),
        ("ho_category", .text, "Home Office broad category"),
        ("beat", .text, "police beat as exported"),
        ("ward_text", .text, "ward code or name as exported, trimmed (mapped to a ward in stage 3)"),
        ("ward_reported_code", .text, "ward code the export names, directly or through the ward alias table; blank when it names none"),
        ("district_code", .text, "district or authority code as exported (09UC/09UE before April 2009, 00KC after)"),
        ("easting", .integer, "OSGB36 easting in metres; blank when unknown"),
        ("northing", .integer, "OSGB36 northing in metres; blank when unknown"),
        ("longitude", .real, "WGS84 longitude (data.police.uk: anonymised to a nearby point)"),
        ("latitude", .real, "WGS84 latitude"),
        ("lsoa_code", .text, "LSOA code as published (data.police.uk; 2011 or 2021 vintage)"),
        ("location_description", .text, "data.police.uk's anonymised location (\"On or near ...\"); never a street address"),
        ("domestic", .boolean, "domestic abuse flag"),
        ("hate", .boolean, "hate crime flag"),
        ("alcohol", .boolean, "alcohol-related flag"),
        ("distraction", .boolean, "distraction burglary flag"),
        ("last_outcome", .text, "data.police.uk last outcome category"),
        ("extracted_date", .date, "extraction date of the export the record came from"),
        ("crime_ref_collision", .boolean, "true when the source gave this crime_ref to another, different record too (data.police.uk: two rows of one month with one Crime ID that differ in crime type, place or last outcome): both are kept and counted, and 02-clean/collisions.csv names the other and the fields that differ; false otherwise. crime_ref is unique among the rows where this is false"),
    ])

    /// Victims linked to crimes.
    public static let victims = personSchema("victims", "one victim of one crime")
    /// Suspects and offenders linked to crimes.
    public static let offenders = personSchema("offenders", "one suspect or offender of one crime")

    package static func personSchema(_ name: String, _ meaning: String) -> EntitySchema {
        EntitySchema(name, meaning, [
            ("person_ref", .text, "keyed pseudonym of the person (from normalised surname, forename and date of birth); blank when those are missing"),
            ("crime_ref", .text, "keyed pseudonym of the crime number, as in crimes.crime_ref"),
            ("role", .text, "victim or suspect"),
            ("age", .integer, "age in years at the committed-from date (from date of birth, else the exported age)"),
            ("age_band", .text, "ten-year age band: 0-9, 10-19, ..., 80+, or unknown"),
            ("sex", .text, "M, F or U"),
            ("ethnicity_code", .text, "officer-defined ethnicity (IC code) as exported"),
            ("ethnicity_group", .text, "standard group from the ethnicity reference table (White European = IC1 + IC2)"),
            ("ppo", .boolean, "prolific and other priority offender flag"),
        ])
    }

    /// Anti-social behaviour incidents.
    public static let asbIncidents = EntitySchema("asb_incidents", "one anti-social behaviour incident", [
        ("incident_ref", .text, "keyed pseudonym of the incident number; blank for data.police.uk rows"),
        ("opened", .datetime, "when the incident was opened (data.police.uk: the first of the month)"),
        ("month", .month, "YYYY-MM of opened"),
        ("category", .text, "NSIR ASB category, standardised spelling"),
        ("beat", .text, "police beat"),
        ("ward_text", .text, "ward code or name as exported"),
        ("ward_reported_code", .text, "ward code the export names, directly or through the ward alias table"),
        ("easting", .integer, "OSGB36 easting"),
        ("northing", .integer, "OSGB36 northing"),
        ("longitude", .real, "WGS84 longitude"),
        ("latitude", .real, "WGS84 latitude"),
        ("lsoa_code", .text, "LSOA code as published"),
        ("location_description", .text, "anonymised location description"),
        ("repeat_caller", .boolean, "the caller had called before about the same problem"),
        ("extracted_date", .date, "extraction date of the export"),
    ])

    /// Fire and rescue incidents, from the legacy system (to March 2009) and IRS (from April 2009).
    public static let fireIncidents = EntitySchema("fire_incidents", "one fire and rescue incident", [
        ("incident_ref", .text, "incident id as exported, prefixed by the system (not personal)"),
        ("call_time", .datetime, "time of call"),
        ("month", .month, "YYYY-MM of call_time"),
        ("incident_type", .text, "primary_fire, secondary_fire, chimney_fire, false_alarm, special_service, road_traffic_collision (fire-codes reference)"),
        ("property_type", .text, "property type, standardised spelling"),
        ("motive", .text, "accidental, deliberate or not_known"),
        ("fatal_casualties", .integer, "fatal casualties"),
        ("non_fatal_casualties", .integer, "non-fatal casualties"),
        ("ward_text", .text, "ward code or name as exported"),
        ("ward_reported_code", .text, "ward code the export names, directly or through the ward alias table"),
        ("district_code", .text, "district or authority code as exported (legacy system only)"),
        ("easting", .integer, "OSGB36 easting"),
        ("northing", .integer, "OSGB36 northing"),
        ("longitude", .real, "WGS84 longitude, where the export gives the point so"),
        ("latitude", .real, "WGS84 latitude"),
        ("location_precision_m", .integer, "how exact the point is, in metres, as the source mapping declares its coordinate pair (1: exact; 50: rounded to 50 m); blank without a point or a mapping"),
        ("location_source", .text, "the columns the point came from (the mapping's first pair with both values, e.g. Easting_m/Northing_m, else the rounded pair)"),
        ("station", .text, "station ground of the incident, as exported"),
        ("first_pump_seconds", .integer, "attendance time of the first pump, in seconds; blank when not recorded"),
        ("pumps_attending", .integer, "number of pumps that attended"),
        ("source_system", .text, "the system or layout the record came from (legacy, irs, lfb, ...)"),
    ])

    /// Youth Offending Service cases.
    public static let yosCases = EntitySchema("yos_cases", "one YOS case: one offence by one young person and its outcome", [
        ("young_person_ref", .text, "keyed pseudonym of the YOS young person id"),
        ("age", .integer, "age in years at the offence date (from date of birth)"),
        ("age_band", .text, "ten-year age band"),
        ("sex", .text, "M, F or U"),
        ("ethnicity", .text, "census ethnicity as recorded"),
        ("ethnicity_group", .text, "standard group from the ethnicity reference table"),
        ("offence_date", .date, "date of the offence"),
        ("month", .month, "YYYY-MM of offence_date"),
        ("offence_category", .text, "offence category as recorded, tidied"),
        ("outcome", .text, "outcome (reprimand, final warning, court disposals), tidied"),
        ("outcome_date", .date, "date of the outcome"),
        ("first_time_entrant", .boolean, "first-time entrant to the youth justice system (NI 111)"),
        ("ppo", .boolean, "prolific and other priority offender"),
        ("ward_text", .text, "ward of residence as recorded"),
    ])

    /// Place Survey respondents.
    public static let surveyResponses = EntitySchema("survey_responses", "one Place Survey respondent", {
        var cols: [(String, ColumnType, String)] = [
            ("respondent_ref", .text, "keyed pseudonym of the respondent id"),
            ("ward_text", .text, "ward code as recorded (2008 wards)"),
            ("weight", .real, "survey weight"),
        ]
        for q in SurveyScale.strands {
            cols.append((q, .text, "answer: very_big, fairly_big, not_very_big, not_at_all, dont_know, or blank"))
            cols.append((q + "_score", .integer, "NI 17 score: very big 3, fairly big 2, not very big 1, not a problem 0; blank for don't know or no answer"))
        }
        for q in SurveyScale.agreements {
            cols.append((q, .text, "answer: strongly_agree, tend_to_agree, neither, tend_to_disagree, strongly_disagree, dont_know, or blank"))
        }
        cols.append(("sex", .text, "M, F or U"))
        cols.append(("age_band", .text, "age band as recorded"))
        return cols
    }())

    /// data.police.uk outcomes.
    public static let outcomes = EntitySchema("outcomes", "one outcome recorded for one crime (data.police.uk)", [
        ("crime_ref", .text, "data.police.uk Crime ID"),
        ("month", .month, "YYYY-MM"),
        ("longitude", .real, "WGS84 longitude"),
        ("latitude", .real, "WGS84 latitude"),
        ("location_description", .text, "anonymised location description"),
        ("lsoa_code", .text, "LSOA code as published"),
        ("outcome_type", .text, "outcome type"),
    ])

    /// data.police.uk stop and search.
    public static let stopSearches = EntitySchema("stop_searches", "one stop and search (data.police.uk)", [
        ("search_time", .datetime, "date and time, converted to UK local time"),
        ("month", .month, "YYYY-MM of search_time"),
        ("type", .text, "person, vehicle, or person and vehicle search"),
        ("part_of_operation", .boolean, "part of a policing operation"),
        ("longitude", .real, "WGS84 longitude"),
        ("latitude", .real, "WGS84 latitude"),
        ("sex", .text, "M, F or U"),
        ("age_range", .text, "age range as published"),
        ("self_defined_ethnicity", .text, "self-defined ethnicity as published"),
        ("officer_defined_ethnicity", .text, "officer-defined ethnicity as published"),
        ("ethnicity_group", .text, "standard group from the ethnicity reference table"),
        ("legislation", .text, "legislation"),
        ("object_of_search", .text, "object of search"),
        ("outcome", .text, "outcome"),
        ("outcome_linked", .boolean, "outcome linked to the object of search; blank when not published"),
        ("removal_of_clothing", .boolean, "removal of more than just outer clothing; blank when not published"),
    ])
}
