using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Events.Tests.Infrastructure;

/// <summary>Plays another service on the real broker: publishes to its exchanges, and reads what was dead-lettered.</summary>
public static class RabbitMqExchanges
{
    private static ConnectionFactory Factory => new() { HostName = LocalServices.Host, Port = LocalServices.RabbitMqPort };

    /// <summary>A message a test read back: its body and headers (text values decoded).</summary>
    public sealed record Message(byte[] Body, string? ContentType, IReadOnlyDictionary<string, string?> Headers)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    /// <summary>
    /// Publishes a persistent message the broker confirmed it routed to a queue. Until the silo has declared and bound
    /// its queue the exchange (or binding) is missing; the publish is repeated until it is routed or the time is up.
    /// </summary>
    public static async Task PublishAsync(string exchange, string routingKey, byte[] body,
        IDictionary<string, object?>? headers = null, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await using var connection = await Factory.CreateConnectionAsync();
                await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
                var properties = new BasicProperties { Persistent = true, ContentType = "application/json", Headers = headers };
                await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
                return;
            }
            catch (Exception ex) when (ex is PublishReturnException or OperationInterruptedException or AlreadyClosedException
                                       && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    public static Task PublishAsync(string exchange, string routingKey, string body, IDictionary<string, object?>? headers = null) =>
        PublishAsync(exchange, routingKey, Encoding.UTF8.GetBytes(body), headers);

    /// <summary>Every message in <paramref name="queue"/>, left in it (they are returned when the channel closes).</summary>
    public static async Task<List<Message>> PeekAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<Message>();
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } got)
        {
            var headers = (got.BasicProperties.Headers ?? new Dictionary<string, object?>())
                .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString());
            messages.Add(new Message(got.Body.ToArray(), got.BasicProperties.ContentType, headers));
        }
        return messages;
    }

    /// <summary>Removes what a test's silo declared; a name that does not exist is fine.</summary>
    public static async Task DeleteAsync(IEnumerable<string> queues, IEnumerable<string> exchanges)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues) await channel.QueueDeleteAsync(queue);
        foreach (var exchange in exchanges) await channel.ExchangeDeleteAsync(exchange);
    }
}
