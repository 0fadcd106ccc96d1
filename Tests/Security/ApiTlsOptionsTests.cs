using Events.Api.Hosting;

namespace Events.Tests.Security;

public sealed class ApiTlsOptionsTests
{
    private const string Password = "unit-tls-password-0123456789";

    [Fact]
    public void NoCertificate_IsNoTls()
    {
        var (certificate, problem) = new ApiTlsOptions().Load(TimeProvider.System);

        Assert.Null(certificate);
        Assert.Null(problem);
    }

    [Fact]
    public void Pkcs12WithItsPassword_AndPemWithItsKey_Load()
    {
        using var files = new TestCertificate(Password);

        var (pfx, pfxProblem) = new ApiTlsOptions { CertificatePath = files.Path, CertificatePassword = Password }.Load(TimeProvider.System);
        var (pem, pemProblem) = new ApiTlsOptions { CertificatePath = files.PemPath, KeyPath = files.KeyPemPath }.Load(TimeProvider.System);

        Assert.Null(pfxProblem);
        Assert.Null(pemProblem);
        Assert.True(pfx!.HasPrivateKey);
        Assert.Equal(files.Thumbprint, pem!.Thumbprint);
        pfx.Dispose();
        pem.Dispose();
    }

    [Fact]
    public void EachBadSetting_IsOneClearMessage_WithoutThePassword()
    {
        using var files = new TestCertificate(Password);
        using var expired = new TestCertificate(Password, DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Equal("Events:Api:Tls:CertificatePath '/nonexistent/api.pfx' does not exist or cannot be read.",
            Problem(new() { CertificatePath = "/nonexistent/api.pfx", CertificatePassword = Password }));
        Assert.StartsWith($"Events:Api:Tls:CertificatePath '{files.Path}' could not be read: the password (Events:Api:Tls:CertificatePassword) is wrong",
            Problem(new() { CertificatePath = files.Path, CertificatePassword = "wrong-password-0123456789" }));
        Assert.StartsWith($"Events:Api:Tls:CertificatePath '{files.PemPath}' has no private key",
            Problem(new() { CertificatePath = files.PemPath }));
        Assert.Contains("not now", Problem(new() { CertificatePath = expired.Path, CertificatePassword = Password }));
        Assert.Equal("Events:Api:Tls:KeyPath or CertificatePassword is set but Events:Api:Tls:CertificatePath is empty.",
            Problem(new() { CertificatePassword = Password }));
    }

    private static string Problem(ApiTlsOptions options)
    {
        var (certificate, problem) = options.Load(TimeProvider.System);
        Assert.Null(certificate);
        Assert.NotNull(problem);
        Assert.DoesNotContain(Password, problem);
        Assert.DoesNotContain("wrong-password-0123456789", problem);
        return problem;
    }
}
