namespace Events.Grains.Tables;

/// <summary>A ClickHouse column: its name, its type, and where its value comes from.</summary>
public sealed record ColumnSpec(string Name, string Type, Func<RowContext, object> Value);
