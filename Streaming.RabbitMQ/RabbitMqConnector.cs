using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// One AMQP connection, reopened on demand after it drops. The client's automatic recovery is off on purpose:
/// a recovered channel restarts its delivery tags, and acking an old tag on it would close it. Instead every user
/// opens a fresh channel when its old one is closed and forgets the old channel's unacked messages (the broker
/// requeues them). While the broker is unreachable, attempts are spaced out and callers fail fast.
/// </summary>
internal sealed partial class RabbitMqConnector(
    RabbitMqStreamOptions options,
    string clientName,
    ILogger logger,
    RabbitMqStreamMetrics? metrics = null,
    string role = "") : IAsyncDisposable
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private DateTime _nextAttemptUtc = DateTime.MinValue;
    private TimeSpan _delay = options.ReconnectDelay;
    private bool _disposed;
    private bool _everConnected;

    public async Task<IChannel> CreateChannelAsync(CreateChannelOptions? channelOptions, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(cancellationToken);
        return await connection.CreateChannelAsync(channelOptions, cancellationToken);
    }

    private async Task<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open) return open;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsOpen: true } opened) return opened;
            if (DateTime.UtcNow < _nextAttemptUtc)
            {
                throw new BrokerUnavailableException(
                    $"RabbitMQ at {options.HostName}:{options.Port} is unreachable; next connection attempt at {_nextAttemptUtc:HH:mm:ss.fff} UTC.");
            }
            await CloseQuietlyAsync(_connection);
            _connection = null;
            try
            {
                _connection = await NewFactory().CreateConnectionAsync(clientName, cancellationToken);
                _delay = options.ReconnectDelay;
                if (_everConnected) metrics?.Reconnected(role);
                _everConnected = true;
                LogConnected(options.HostName, options.Port, clientName);
                return _connection;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _nextAttemptUtc = DateTime.UtcNow + _delay;
                metrics?.ConnectFailed(role);
                LogConnectFailed(exception, options.HostName, options.Port, _delay);
                _delay = TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, MaxReconnectDelay.Ticks));
                throw new BrokerUnavailableException($"Cannot connect to RabbitMQ at {options.HostName}:{options.Port}: {exception.Message}", exception);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private ConnectionFactory NewFactory() => new()
    {
        HostName = options.HostName,
        Port = options.Port,
        UserName = options.UserName,
        Password = options.Password,
        VirtualHost = options.VirtualHost,
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
        RequestedConnectionTimeout = options.ConnectTimeout,
        SocketReadTimeout = options.ConnectTimeout,
        SocketWriteTimeout = options.ConnectTimeout,
    };

    private static async Task CloseQuietlyAsync(IConnection? connection)
    {
        if (connection is null) return;
        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception)
        {
            // Already broken: nothing left to release but the object.
        }
        connection.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            await CloseQuietlyAsync(_connection);
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Host}:{Port} as {ClientName}")]
    private partial void LogConnected(string host, int port, string clientName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to RabbitMQ at {Host}:{Port}; retrying in {Delay}")]
    private partial void LogConnectFailed(Exception exception, string host, int port, TimeSpan delay);
}

/// <summary>The broker cannot be reached now; the operation may succeed later.</summary>
public sealed class BrokerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
