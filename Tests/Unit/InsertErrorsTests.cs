using System.Net;
using System.Net.Sockets;
using Events.Grains.Sinks;
using Events.Silo.Sinks;

namespace Events.Tests.Unit;

public sealed class InsertErrorsTests
{
    public static TheoryData<Exception, string> Cases => new()
    {
        { new RowsRejectedException("ClickHouse code 469"), "rejected" },
        { new TaskCanceledException("HttpClient.Timeout"), "timeout" },
        { new TimeoutException(), "timeout" },
        { new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), "unreachable" },
        { new SocketException((int)SocketError.HostNotFound), "unreachable" },
        { new HttpRequestException("Bad Gateway", null, HttpStatusCode.BadGateway), "server" },
        { new InvalidOperationException("something else"), "other" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ClassOf_NamesTheFailureForTheErrorLabel(Exception error, string expected) =>
        Assert.Equal(expected, InsertErrors.ClassOf(error));
}
