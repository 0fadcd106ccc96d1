namespace Events.Bench.Measure;

/// <summary>Summed over the cluster's stream queues: messages published ever, messages held now, and their bytes.</summary>
internal sealed record QueueTotals(int Queues, long Published, long Messages, long Bytes);
