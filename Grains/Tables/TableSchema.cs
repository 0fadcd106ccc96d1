namespace Events.Grains.Tables;

/// <summary>
/// A sink table as data: its columns (with their value mapping) and its engine clauses.
/// The DDL and the rows both come from this one description, so they cannot drift apart.
/// </summary>
public sealed class TableSchema
{
    public required string Name { get; init; }

    /// <summary>Default ClickHouse.</summary>
    public SinkStore Store { get; init; } = SinkStore.ClickHouse;
    public required IReadOnlyList<ColumnSpec> Columns { get; init; }

    /// <summary>Rows with the same sorting key collapse on merge, so the key must hold the event id.</summary>
    public required string Engine { get; init; }
    public required string OrderBy { get; init; }
    public string? PartitionBy { get; init; }

    /// <summary>
    /// MergeTree settings, given to tables made before without them too (<see cref="AlterSettingsSql"/>). ClickHouse merges about ten
    /// parts of a size at a time instead of five, so each row is rewritten less often: merges were almost half of its
    /// CPU at peak. The price is about twice as many active parts, and a point query reads a granule of each
    /// (BENCHMARKS.md, "Cheaper inserts and merges").
    /// </summary>
    public string Settings { get; init; } = "merge_selector_base = 10";

    public IReadOnlyList<string> ColumnNames => Columns.Select(c => c.Name).ToArray();

    /// <summary>True when a column reads the event's params: they are parsed once per row, not per column.</summary>
    public bool ReadsParams { get; init; }

    public object[] MapRow(RowContext context)
    {
        var row = new object[Columns.Count];
        MapRowInto(context, row);
        return row;
    }

    /// <summary>Fills <paramref name="row"/>, one slot per column, with the values of <paramref name="context"/>.</summary>
    public void MapRowInto(RowContext context, object[] row)
    {
        if (ReadsParams && context.Params.ValueKind == System.Text.Json.JsonValueKind.Undefined)
        {
            context = context with { Params = RowContext.ParseParams(context.Event.ParamsJson) };
        }
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = Columns[i].Value(context);
        }
    }

    /// <summary>
    /// The groups' rows in one array refilled for each row, for an encoder that reads a row before taking the next:
    /// the sink encodes every event it receives, and an array per row was a third of its allocations.
    /// </summary>
    public IEnumerable<object[]> StreamRows(IReadOnlyList<EventGroup> groups)
    {
        var row = new object[Columns.Count];
        foreach (var group in groups)
        {
            foreach (var evt in group.Events)
            {
                MapRowInto(new RowContext(group, evt), row);
                yield return row;
            }
        }
    }

    public List<TableRow> MapRows(IReadOnlyList<EventGroup> groups)
    {
        var rows = new List<TableRow>(groups.Sum(g => g.Events.Count));
        foreach (var group in groups)
        {
            foreach (var evt in group.Events)
            {
                var source = new RowContext(group, evt);
                rows.Add(new TableRow(MapRow(source), source));
            }
        }
        return rows;
    }

    public string CreateTableSql(string database)
    {
        var columns = string.Join(",\n    ", Columns.Select(c => $"`{c.Name}` {c.Type}"));
        var partition = PartitionBy is null ? "" : $"\nPARTITION BY {PartitionBy}";
        return $"CREATE TABLE IF NOT EXISTS `{database}`.`{Name}` (\n    {columns}\n) ENGINE = {Engine}{partition}\nORDER BY ({OrderBy})\nSETTINGS {Settings}";
    }

    /// <summary>
    /// Gives a table made before <see cref="Settings"/> changed the ones it lacks (metadata only), or null when it has
    /// each of them: a value an operator set since is theirs to keep. <paramref name="createTableQuery"/> is the table's
    /// <c>SHOW CREATE TABLE</c>.
    /// </summary>
    public string? AlterSettingsSql(string database, string createTableQuery)
    {
        var clause = createTableQuery.LastIndexOf("SETTINGS ", StringComparison.Ordinal) is var at and >= 0 ? createTableQuery[(at + 9)..] : "";
        var present = clause.Split(',').Select(SettingName).ToHashSet(StringComparer.Ordinal);
        var missing = Settings.Split(',').Select(s => s.Trim()).Where(s => !present.Contains(SettingName(s))).ToList();
        return missing.Count == 0 ? null : $"ALTER TABLE `{database}`.`{Name}` MODIFY SETTING {string.Join(", ", missing)}";
    }

    private static string SettingName(string setting) => setting.Split('=')[0].Trim();
}
