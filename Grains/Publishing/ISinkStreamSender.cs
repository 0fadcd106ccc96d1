namespace Events.Grains.Publishing;

/// <summary>Sends one message to one stream; completes when the stream provider has it durably.</summary>
public interface ISinkStreamSender
{
    Task SendAsync(StreamId stream, SinkBatch batch);
}
