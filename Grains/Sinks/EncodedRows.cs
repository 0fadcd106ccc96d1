namespace Events.Grains.Sinks;

/// <summary>Rows already in their store's wire format (<see cref="ITableWriter.Encode"/>), and how many.</summary>
public sealed record EncodedRows(byte[] Bytes, int Rows);
