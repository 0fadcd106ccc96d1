namespace Events.Bench.Load;

/// <summary>A batch ready to send, and the event the freshness probe may follow.</summary>
internal sealed record DispatchBatch(Protos.Events Message, string FirstId, string FirstName)
{
    public int Count => Message.Events_.Count;
}
