namespace Events.Grains.Sinks;

/// <summary>
/// A stream message waiting in a sink generation: as it came (its groups serialized, to be read again only if its
/// table refuses rows) and its rows encoded for the insert, or null when its store takes rows as objects.
/// </summary>
internal readonly record struct WaitingMessage(SinkBatch Message, EncodedRows? Encoded);
