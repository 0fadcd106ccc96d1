using System.Security.Cryptography;
using System.Text;
using Events.Api.Webhooks;

namespace Events.Tests.Webhooks;

public sealed class TimestampedSignaturesTests
{
    private const string Secret = "signing-0123456789abcdef";
    private const long Time = 1_795_000_000;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"eventName":"Added To Cart","eventId":"e-1"}""");

    // Computed independently of the code under test: hex(HMAC-SHA256(secret, "<t>.<body>")).
    private static string Expected(long time, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes($"{time}.").Concat(body).ToArray()));

    [Fact]
    public void Signature_OverTheTimeAndTheRawBody_Matches()
    {
        var header = $"t={Time},v1={Expected(Time, Body)}";

        Assert.Equal(header, TimestampedSignatures.Sign(Body, Secret, Time));
        Assert.True(TimestampedSignatures.TryVerify(Body, header, Secret, out var signedAt, out var signature));
        Assert.Equal(Time, signedAt);
        Assert.Equal(Expected(Time, Body), signature);
    }

    [Fact]
    public void AnyOfSeveralV1_Matches_AndOtherSchemesAreIgnored()
    {
        var header = $"t={Time}, v0=whatever, v1={new string('0', 64)}, v1={Expected(Time, Body).ToUpperInvariant()}";

        Assert.True(TimestampedSignatures.TryVerify(Body, header, Secret, out _, out var signature));
        Assert.Equal(Expected(Time, Body), signature);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("t=1795000000")]
    [InlineData("v1=00")]
    [InlineData("t=,v1=00")]
    [InlineData("t=-5,v1=00")]
    [InlineData("t=1795000000,t=1795000000,v1=00")]
    [InlineData("t=9999999999999,v1=00")]
    [InlineData("t=1795000000,v1=not-hex")]
    public void MissingOrMalformed_DoesNotMatch(string? header)
    {
        Assert.False(TimestampedSignatures.TryVerify(Body, header, Secret, out _, out _));
    }

    [Fact]
    public void AnotherTimeBodyOrSecret_DoesNotMatch()
    {
        var signature = Expected(Time, Body);
        var tampered = Body.ToArray();
        tampered[^3] ^= 1;

        Assert.False(TimestampedSignatures.TryVerify(Body, $"t={Time + 1},v1={signature}", Secret, out _, out _));
        Assert.False(TimestampedSignatures.TryVerify(tampered, $"t={Time},v1={signature}", Secret, out _, out _));
        Assert.False(TimestampedSignatures.TryVerify(Body, $"t={Time},v1={signature}", Secret + "x", out _, out _));
    }
}
