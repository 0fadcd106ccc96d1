namespace Events.Bench.Reporting;

/// <summary>One target of issue #4 against this run's figure; <see cref="Met"/> is null when the figure is missing.</summary>
internal sealed record TargetCheck(string Figure, string Target, double? Value, bool? Met)
{
    public static TargetCheck AtLeast(string figure, double? value, double target, string format = "N0") =>
        new(figure, "≥ " + target.ToString(format, System.Globalization.CultureInfo.InvariantCulture), value, value is { } v ? v >= target : null);

    public static TargetCheck AtMost(string figure, double? value, double target, string format = "N0") =>
        new(figure, "≤ " + target.ToString(format, System.Globalization.CultureInfo.InvariantCulture), value, value is { } v ? v <= target : null);
}
