namespace Events.Streaming.RabbitMQ;

/// <summary>What a queue source made of some deliveries: batches for the pulling agent, and messages it cannot read.</summary>
internal sealed class RabbitMqRead
{
    /// <summary>Each batch is acknowledged, message by message, once the agent reports it delivered.</summary>
    public List<(RabbitMqBatchContainer Container, RabbitMqDelivery[] Deliveries)> Batches { get; } = [];

    public List<(RabbitMqDelivery Delivery, string Reason)> Refused { get; } = [];
}
