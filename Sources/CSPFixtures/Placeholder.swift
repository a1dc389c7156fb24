/// Placeholder until the generator lands.
public enum FixturePlaceholder {}
