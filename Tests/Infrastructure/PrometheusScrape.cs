using System.Globalization;
using System.Text.RegularExpressions;

namespace Events.Tests.Infrastructure;

/// <summary>One scrape of a Prometheus text endpoint, read back by metric name and labels (in any order).</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series = [];

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (Match line in SeriesLine().Matches(text))
        {
            var labels = LabelPair().Matches(line.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            _series.Add((line.Groups["name"].Value, labels, double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> FromAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
        return new PrometheusScrape(text);
    }

    /// <summary>The sum of the series named <paramref name="name"/> having every label given (0 when there is none).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    public bool Has(string name, params (string Label, string Value)[] labels) => Matching(name, labels).Any();

    /// <summary>The label values of <paramref name="label"/> among the series named <paramref name="name"/>.</summary>
    public IReadOnlyList<string> LabelValues(string name, string label) =>
        _series.Where(s => s.Name == name && s.Labels.ContainsKey(label)).Select(s => s.Labels[label]).Distinct().ToList();

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, (string Label, string Value)[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
