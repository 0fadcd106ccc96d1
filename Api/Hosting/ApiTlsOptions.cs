using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Events.Api.Hosting;

/// <summary>
/// Optional TLS on both of the Api's own ports (<c>Events:Api:Tls</c>). Off while <see cref="CertificatePath"/> is empty
/// (the default: TLS ends at a proxy or load balancer). Set the path and password through the environment or a secret
/// store; the password is never logged nor named in an error.
/// </summary>
public sealed class ApiTlsOptions
{
    public const string Section = "Events:Api:Tls";

    /// <summary>A PKCS#12 file (<c>.pfx</c>/<c>.p12</c>) with its private key, or a PEM certificate. Default empty (no TLS).</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PKCS#12 file's password, or the PEM key's when it is encrypted. Default empty.</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>With a PEM certificate: its private key's file; empty when the key is in the certificate's file. Default empty.</summary>
    public string KeyPath { get; set; } = "";

    public bool Enabled => CertificatePath.Length > 0;

    /// <summary>
    /// The certificate, or the one problem that stops the start-up: a missing file, a wrong password or unreadable
    /// file, no private key, or a certificate outside its validity period.
    /// </summary>
    public (X509Certificate2? Certificate, string? Problem) Load(TimeProvider time)
    {
        if (!Enabled)
        {
            return (null, KeyPath.Length > 0 || CertificatePassword.Length > 0
                ? $"{Section}:KeyPath or CertificatePassword is set but {Section}:CertificatePath is empty." : null);
        }
        foreach (var (name, path) in new[] { ("CertificatePath", CertificatePath), ("KeyPath", KeyPath) })
        {
            if (path.Length > 0 && !File.Exists(path))
            {
                return (null, $"{Section}:{name} '{path}' does not exist or cannot be read.");
            }
        }
        X509Certificate2 certificate;
        try
        {
            certificate = Read();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The loader's message may say which part failed, never the password; ours is the same for every cause.
            return (null, $"{Section}:CertificatePath '{CertificatePath}' could not be read: the password ({Section}:CertificatePassword) is wrong, "
                + "or the file is not a PKCS#12 or PEM certificate with its private key.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        string? problem = !certificate.HasPrivateKey
            ? $"{Section}:CertificatePath '{CertificatePath}' has no private key (for PEM, set {Section}:KeyPath)."
            : now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime()
                ? $"{Section}:CertificatePath '{CertificatePath}' is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not now."
                : null;
        if (problem is not null)
        {
            certificate.Dispose();
            return (null, problem);
        }
        return (certificate, null);
    }

    private X509Certificate2 Read()
    {
        var password = CertificatePassword.Length > 0 ? CertificatePassword : null;
        var extension = Path.GetExtension(CertificatePath).ToLowerInvariant();
        if (KeyPath.Length > 0 || extension is ".pem" or ".crt" or ".cer")
        {
            var key = KeyPath.Length > 0 ? KeyPath : CertificatePath;
            if (!File.ReadAllText(key).Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                return X509CertificateLoader.LoadCertificateFromFile(CertificatePath); // reported as "no private key"
            }
            return password is null
                ? X509Certificate2.CreateFromPemFile(CertificatePath, key)
                : X509Certificate2.CreateFromEncryptedPemFile(CertificatePath, password, key);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, password);
    }
}
