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
        var name = new StringBuilder(instrument.Length + 16);
        foreach (var c in instrument)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }
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

    private static void AppendUnlessEndsWith(StringBuilder name, string suffix)
    {
        if (suffix.Length > 0 && !name.ToString().EndsWith(suffix, StringComparison.Ordinal))
        {
            name.Append(suffix);
        }
    }
}
