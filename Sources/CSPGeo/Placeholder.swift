/// Placeholder until the geo module lands.
enum GeoPlaceholder {}
