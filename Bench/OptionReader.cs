using System.Globalization;

namespace Events.Bench;

/// <summary>Typed access to <c>--name value</c> pairs; collects every problem instead of stopping at the first.</summary>
internal sealed class OptionReader(IReadOnlyDictionary<string, List<string>> values, List<string> problems)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public IReadOnlySet<string> Known => _known;

    public string Text(string name, string fallback) => Last(name) ?? fallback;

    public string? OptionalText(string name, string? fallback) => Last(name) ?? fallback;

    public string Name(string name, string fallback)
    {
        var value = Text(name, fallback);
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            problems.Add($"{name} '{value}' may contain only letters, digits, '_', '-' and '.'");
        }
        return value;
    }

    public Uri Uri(string name, string variable, Uri fallback)
    {
        var value = Last(name) ?? Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value)) return fallback;
        if (System.Uri.TryCreate(value, UriKind.Absolute, out var uri)) return uri;
        problems.Add($"{name} '{value}' is not an absolute URL");
        return fallback;
    }

    public IReadOnlyList<Uri> Uris(string name, IReadOnlyList<Uri> fallback)
    {
        _known.Add(name);
        var result = new List<Uri>();
        foreach (var value in values.GetValueOrDefault(name) ?? [])
        {
            if (System.Uri.TryCreate(value, UriKind.Absolute, out var uri)) result.Add(uri);
            else problems.Add($"{name} '{value}' is not an absolute URL");
        }
        return result.Count > 0 ? result : fallback;
    }

    public int Int(string name, int fallback, int min) => (int)Long(name, fallback, min);

    public IReadOnlyList<int> Ints(string name)
    {
        _known.Add(name);
        var result = new List<int>();
        foreach (var value in values.GetValueOrDefault(name) ?? [])
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) result.Add(n);
            else problems.Add($"{name} '{value}' is not a process id");
        }
        return result;
    }

    public long? OptionalLong(string name) => Last(name) is null ? null : Long(name, 0, 1);

    public double? OptionalDouble(string name) => Last(name) is null ? null : Double(name, 0, double.Epsilon);

    public double Double(string name, double fallback, double min)
    {
        var value = Last(name);
        if (value is null) return fallback;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min) return n;
        problems.Add($"{name} '{value}' is not a number >= {min}");
        return fallback;
    }

    public bool OnOff(string name, bool fallback)
    {
        var value = Last(name);
        if (value is null) return fallback;
        if (value is "on" or "off") return value == "on";
        problems.Add($"{name} must be on or off, not '{value}'");
        return fallback;
    }

    public TimeSpan Seconds(string name, TimeSpan fallback, double min) =>
        TimeSpan.FromSeconds(Double(name, fallback.TotalSeconds, min));

    public IReadOnlySet<string> Set(string name, IReadOnlySet<string> fallback, IReadOnlyList<string> allowed)
    {
        var value = Last(name);
        if (value is null) return fallback;
        if (value == "none") return new HashSet<string>();
        var set = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        foreach (var unknown in set.Except(allowed))
        {
            problems.Add($"{name}: '{unknown}' is not one of {string.Join(", ", allowed)}, none");
        }
        return set;
    }

    private long Long(string name, long fallback, long min)
    {
        var value = Last(name);
        if (value is null) return fallback;
        if (long.TryParse(value.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min) return n;
        problems.Add($"{name} '{value}' is not a whole number >= {min}");
        return fallback;
    }

    private string? Last(string name)
    {
        _known.Add(name);
        return values.GetValueOrDefault(name)?.LastOrDefault();
    }
}
