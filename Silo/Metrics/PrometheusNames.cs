using System.Text;

namespace Events.Silo.Metrics;

/// <summary>
/// The Prometheus name of a .NET instrument, after OpenTelemetry's Prometheus conventions: dots and other
/// characters Prometheus does not allow become underscores, a unit of seconds or bytes becomes a suffix
/// (<c>events.sink.insert.duration</c> in <c>s</c> → <c>events_sink_insert_duration_seconds</c>), and a counter ends in <c>_total</c>.
/// Annotation units (<c>{row}</c>) are dropped.
/// </summary>
internal static class PrometheusNames
{
    public static string For(string instrument, string? unit, bool isCounter)
    {
        var name = Sanitized(instrument, allowColon: true);
        var suffix = unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        AppendUnlessEndsWith(name, suffix);
        if (isCounter)
        {
            AppendUnlessEndsWith(name, "_total");
        }
        return name.ToString();
    }

    /// <summary>A tag name as a label name: letters, digits and underscores only.</summary>
    public static string Label(string tag) => Sanitized(tag, allowColon: false).ToString();

    private static StringBuilder Sanitized(string text, bool allowColon)
    {
        var name = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }
        return name;
    }

    private static void AppendUnlessEndsWith(StringBuilder name, string suffix)
    {
        if (suffix.Length > 0 && !name.ToString().EndsWith(suffix, StringComparison.Ordinal))
        {
            name.Append(suffix);
        }
    }
}
