using System.Net;
using System.Net.Sockets;
using Events.Tests.Infrastructure;

namespace Events.Tests.Unit;

public sealed class FreeTcpPortTests
{
    [Fact]
    public void FreeTcpPort_GivesDistinctBindablePorts_BelowTheEphemeralRange()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => LocalServices.FreeTcpPort()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 20_000, 31_999));
        var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
        listener.Stop();
    }
}
