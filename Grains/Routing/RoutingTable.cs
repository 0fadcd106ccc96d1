using System.Collections.Concurrent;
using Events.Grains.Tables;

namespace Events.Grains.Routing;

/// <summary>Answers "which tables does this event go to?" from the configured rules.</summary>
public sealed class RoutingTable
{
    public const string Any = "*";

    private readonly IReadOnlyList<RouteRule> _rules;
    private readonly ConcurrentDictionary<(string Source, string EventName), string[]> _cache = new();

    public RoutingTable(IReadOnlyList<RouteRule> rules) => _rules = rules;

    public IReadOnlyList<string> TablesFor(string source, string eventName) =>
        _cache.GetOrAdd((source, eventName), key => _rules
            .Where(r => Matches(r.Source, key.Source) && Matches(r.EventName, key.EventName))
            .SelectMany(r => r.Tables)
            .Distinct(StringComparer.Ordinal)
            .ToArray());

    /// <summary>Every problem with the rules, for start-up validation; empty when they are usable.</summary>
    public static IEnumerable<string> Validate(IReadOnlyList<RouteRule> rules, TableCatalog catalog)
    {
        if (rules.Count == 0)
        {
            yield return "Events:Routing:Rules is empty: no event would be stored.";
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (string.IsNullOrWhiteSpace(rule.Source) || string.IsNullOrWhiteSpace(rule.EventName))
            {
                yield return $"Events:Routing:Rules:{i} needs a Source and an EventName ('*' matches any).";
            }
            if (rule.Tables.Count == 0)
            {
                yield return $"Events:Routing:Rules:{i} names no table.";
            }
            foreach (var table in rule.Tables.Where(t => !catalog.Contains(t)))
            {
                yield return $"Events:Routing:Rules:{i} names unknown table '{table}' (known: {string.Join(", ", catalog.Tables.Select(t => t.Name))}).";
            }
        }
    }

    private static bool Matches(string pattern, string value) =>
        pattern == Any || string.Equals(pattern, value, StringComparison.Ordinal);
}
