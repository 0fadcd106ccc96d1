namespace Events.Grains.Tables;

/// <summary>A row's column values, with the event it was made from (to dead-letter it if its table refuses it).</summary>
public readonly record struct TableRow(object[] Values, RowContext Source);
