import CSPCore
import CSPStorage

extension AssessGeoPackage {
    /// The colours of the report's map (``AssessWardMap/shades``), withheld grey and the hotspot outline, as RGB.
    static let withheldColour = "#dddddd", outlineColour = "#555555", hotspotColour = "#c0392b"

    /// A theme layer's QGIS style: a rule-based renderer with one rule per class that holds rates (the report's blue
    /// of the class, labelled with its range of published rates), one for withheld or no rate (grey), and the hotspot
    /// outline drawn on top (red, no fill): on wards the Poisson test's `hotspot = 'yes'`, on LSOAs Gi*'s `hot spot`,
    /// as the report outlines them, never on a withheld area. QML for QGIS, the same rules as SLD for other tools.
    static func style(layer: String, table: String, theme: String, breaks: [(shade: Int, low: Double, high: Double)]) -> GeoPackageWriter.Style {
        let hotspot: (filter: String, sld: String, label: String) = layer == "lsoa"
            ? ("\"gi_star_hotspot\" = 'hot spot' AND NOT \"withheld\"", sldEquals("gi_star_hotspot", "hot spot"), "Gi* hot spot")
            : ("\"hotspot\" = 'yes' AND NOT \"withheld\"", sldEquals("hotspot", "yes"), "hotspot")
        var rules: [(filter: String, sldFilter: String, label: String, fill: String?, stroke: String, width: Double)] = breaks.map { b in
            ("\"rate_class\" = \(b.shade + 1)", sldEquals("rate_class", "\(b.shade + 1)"), label(b), AssessWardMap.shades[b.shade], outlineColour, 0.1)
        }
        rules.append(("\"rate_class\" IS NULL", "<ogc:PropertyIsNull><ogc:PropertyName>rate_class</ogc:PropertyName></ogc:PropertyIsNull>",
                      "withheld or no rate", withheldColour, outlineColour, 0.1))
        rules.append((hotspot.filter, "<ogc:And>\(hotspot.sld)\(sldEquals("withheld", "0"))</ogc:And>", hotspot.label, nil, hotspotColour, 0.6))

        var qml = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.28.0\" styleCategories=\"Symbology\">\n"
        qml += " <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n  <rules key=\"root\">\n"
        for (i, r) in rules.enumerated() {
            qml += "   <rule key=\"r\(i)\" symbol=\"\(i)\" filter=\"\(HTML.escape(r.filter))\" label=\"\(HTML.escape(r.label))\"/>\n"
        }
        qml += "  </rules>\n  <symbols>\n"
        for (i, r) in rules.enumerated() {
            let props = [("color", r.fill.map(rgba) ?? "0,0,0,0"), ("outline_color", rgba(r.stroke)), ("outline_style", "solid"),
                         ("outline_width", String(r.width)), ("outline_width_unit", "MM"), ("style", r.fill == nil ? "no" : "solid"),
                         ("joinstyle", "bevel")]
            qml += "   <symbol type=\"fill\" name=\"\(i)\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n    <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
            qml += "     <Option type=\"Map\">\n" + props.map { "      <Option name=\"\($0.0)\" type=\"QString\" value=\"\($0.1)\"/>\n" }.joined() + "     </Option>\n"
            qml += props.map { "     <prop k=\"\($0.0)\" v=\"\($0.1)\"/>\n" }.joined()
            qml += "    </layer>\n   </symbol>\n"
        }
        qml += "  </symbols>\n </renderer-v2>\n <layerGeometryType>2</layerGeometryType>\n</qgis>\n"

        var sld = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StyledLayerDescriptor version=\"1.1.0\" xmlns=\"http://www.opengis.net/sld\" "
        sld += "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:se=\"http://www.opengis.net/se\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
        sld += " <NamedLayer><se:Name>\(HTML.escape(table))</se:Name><UserStyle><se:Name>\(HTML.escape(theme))</se:Name><se:FeatureTypeStyle>\n"
        for r in rules {
            sld += "  <se:Rule><se:Name>\(HTML.escape(r.label))</se:Name><ogc:Filter>\(r.sldFilter)</ogc:Filter><se:PolygonSymbolizer>"
            if let fill = r.fill { sld += "<se:Fill><se:SvgParameter name=\"fill\">\(fill)</se:SvgParameter></se:Fill>" }
            sld += "<se:Stroke><se:SvgParameter name=\"stroke\">\(r.stroke)</se:SvgParameter><se:SvgParameter name=\"stroke-width\">\(r.width)</se:SvgParameter></se:Stroke>"
            sld += "</se:PolygonSymbolizer></se:Rule>\n"
        }
        sld += " </se:FeatureTypeStyle></UserStyle></NamedLayer>\n</StyledLayerDescriptor>\n"
        return GeoPackageWriter.Style(name: theme, qml: qml, sld: sld,
                                      description: "\(theme) by \(layerWords(layer)): quintiles of the published rates per 1,000 (the report's map), withheld grey, \(hotspot.label) outlined red")
    }

    /// `<ogc:PropertyIsEqualTo>` of a column and a literal.
    static func sldEquals(_ column: String, _ value: String) -> String {
        "<ogc:PropertyIsEqualTo><ogc:PropertyName>\(column)</ogc:PropertyName><ogc:Literal>\(HTML.escape(value))</ogc:Literal></ogc:PropertyIsEqualTo>"
    }

    /// `#rrggbb` as QGIS's `r,g,b,255`.
    static func rgba(_ hex: String) -> String {
        let v = Int(hex.dropFirst(), radix: 16) ?? 0
        return "\((v >> 16) & 255),\((v >> 8) & 255),\(v & 255),255"
    }
}
