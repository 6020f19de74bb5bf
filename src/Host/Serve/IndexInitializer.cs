using EdgeCancer.Scp.Index;
using Microsoft.Extensions.Hosting;

namespace EdgeCancer.Host.Serve;

/// <summary>Applies index migrations before any role starts (registered first, so it runs first).</summary>
public sealed class IndexInitializer(SqlArchiveIndex index) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => index.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
