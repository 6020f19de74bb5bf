using EdgeCancer.Viewer;
using Microsoft.Extensions.Hosting;

namespace EdgeCancer.Host.Serve;

/// <summary>Creates the first admin at first start and prints its one-time password once.</summary>
public sealed class ViewerInitializer(IServiceProvider services) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var password = await ViewerApp.InitializeAsync(services, cancellationToken).ConfigureAwait(false);
        if (password is not null)
        {
            // Printed once, to the console only (not to the log files): the admin must change it at first sign-in.
            Console.Out.WriteLine($"First start: created user 'admin' with one-time password: {password}");
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
