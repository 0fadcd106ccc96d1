using System.Security.Cryptography;
using System.Text;

namespace Events.Api.Operations;

/// <summary>HTTP basic authentication in front of the dashboard, compared in constant time.</summary>
internal sealed class DashboardBasicAuth(DashboardAccessOptions access)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes($"{access.User}:{access.Password}");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Authorized(context.Request.Headers.Authorization.ToString()))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans Dashboard\", charset=\"UTF-8\"";
    }

    private bool Authorized(string header)
    {
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}
