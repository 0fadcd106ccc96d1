using System.Globalization;

namespace Events.Tests.Faults;

/// <summary>
/// One fault scenario's figures, written to the test output and appended as a line to
/// <c>$EVENTS_DATA_DIR/reliability.tsv</c>, from which RELIABILITY.md is built.
/// </summary>
internal sealed record ReliabilityReport(
    string Scenario,
    string Action,
    AuditResult Audit,
    int UnavailableAnswers,
    string Answers,
    string Notes,
    TimeSpan Duration)
{
    private const string Columns =
        "time_utc\tscenario\taction\tacknowledged\tstored\tlost\tduplicates_removed\tunavailable_answers\tduration_s\tdrain_s\tanswers\tnotes";

    public static string TsvPath => Path.Combine(ServiceScript.DataDirectory, "reliability.tsv");

    public void Write(ITestOutputHelper? output)
    {
        output?.WriteLine($"""
            scenario            {Scenario}
            action              {Action}
            acknowledged        {Audit.Acknowledged}
            stored (distinct)   {Audit.Stored}
            lost                {Audit.Lost}{(Audit.Lost > 0 ? $" (e.g. {string.Join(", ", Audit.Missing.Take(10))})" : "")}
            duplicates removed  {Audit.DuplicateRows}
            stored after        {Audit.Waited.TotalSeconds:0.0} s (from the end of the load until every acknowledged event was in ClickHouse)
            UNAVAILABLE answers {UnavailableAnswers}
            answers             {Answers}
            notes               {Notes}
            duration            {Duration.TotalSeconds:0.0} s
            """);
        AppendTsv();
    }

    private void AppendTsv()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(TsvPath)!);
        var fields = new[]
        {
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Scenario, Action,
            Audit.Acknowledged.ToString(CultureInfo.InvariantCulture),
            Audit.Stored.ToString(CultureInfo.InvariantCulture),
            Audit.Lost.ToString(CultureInfo.InvariantCulture),
            Audit.DuplicateRows.ToString(CultureInfo.InvariantCulture),
            UnavailableAnswers.ToString(CultureInfo.InvariantCulture),
            Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            Audit.Waited.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            Answers, Notes,
        };
        var line = string.Join('\t', fields.Select(f => f.Replace('\t', ' ').Replace('\n', ' '))) + "\n";
        var isNew = !File.Exists(TsvPath);
        File.AppendAllText(TsvPath, (isNew ? Columns + "\n" : "") + line);
    }
}
