namespace Events.Grains.Tables;

/// <summary>The sink tables by name.</summary>
public sealed class TableCatalog(IEnumerable<TableSchema> tables)
{
    private readonly Dictionary<string, TableSchema> _tables = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<TableSchema> Tables => _tables.Values;

    public bool Contains(string name) => _tables.ContainsKey(name);

    public TableSchema Get(string name) =>
        _tables.TryGetValue(name, out var table) ? table : throw new KeyNotFoundException($"No sink table named '{name}'.");
}
