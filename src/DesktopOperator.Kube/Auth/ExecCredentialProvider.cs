using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Kube.Config;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Auth;

/// <summary>
/// Runs a kubeconfig <c>exec</c> plugin and caches what it prints until its <c>expirationTimestamp</c> (or
/// forever when it gives none), or until the server answers 401. At most one run at a time.
/// </summary>
internal sealed partial class ExecCredentialProvider(ExecCredentialSettings settings, TimeProvider time, ILogger logger) : ICredentialProvider, IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile ExecCredential? _current;

    public X509Certificate2? ClientCertificate => _current?.ClientCertificate;

    public async ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var credential = await GetAsync(cancellationToken).ConfigureAwait(false);
        if (credential.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Token);
        }
    }

    public bool Invalidate()
    {
        _current = null;
        return true;
    }

    public void Dispose() => _refresh.Dispose();

    internal async Task<ExecCredential> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && cached.IsValidAt(time.GetUtcNow()))
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } fresh && fresh.IsValidAt(time.GetUtcNow()))
            {
                return fresh;
            }

            var output = await RunAsync(cancellationToken).ConfigureAwait(false);
            var credential = ExecCredential.Parse(output, settings.ApiVersion, settings.Command);
            LogPluginRan(logger, settings.Command, credential.ExpirationTimestamp);
            _current = credential;
            return credential;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var command = settings.Command.Contains('/', StringComparison.Ordinal) && settings.WorkingDirectory is not null
            ? Path.GetFullPath(settings.Command, settings.WorkingDirectory)
            : settings.Command;
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = settings.WorkingDirectory ?? "",
        };
        foreach (var arg in settings.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in settings.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo.Build(settings);

        using var process = StartProcess(start);
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw ExecCredential.Fail(settings.Command, $"exited with code {process.ExitCode}: {errors.Trim()}");
            }

            return output;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw ExecCredential.Fail(settings.Command, $"did not finish within {settings.Timeout}");
        }
    }

    private Process StartProcess(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw ExecCredential.Fail(settings.Command, "could not be started");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            var hint = settings.InstallHint is { Length: > 0 } h ? $" ({h.Trim()})" : "";
            throw ExecCredential.Fail(settings.Command, $"could not be started: {ex.Message}{hint}", ex);
        }
    }
}
