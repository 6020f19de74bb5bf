using Microsoft.Extensions.Options;

namespace EdgeCancer.Host.Serve;

/// <summary>Which roles this process runs (Node:Roles): the DICOM archive, the inference worker, the web viewer.</summary>
public sealed record NodeRoles(bool Scp, bool Worker, bool Viewer)
{
    /// <summary>All roles in one process (the single-machine default of <c>edgecancer serve</c>).</summary>
    public const string All = "scp,worker,viewer";

    /// <summary>Parses a comma-separated list; an unknown role is a validation error naming Node:Roles.</summary>
    public static NodeRoles Parse(string text)
    {
        bool scp = false, worker = false, viewer = false;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "scp": scp = true; break;
                case "worker": worker = true; break;
                case "viewer": viewer = true; break;
                default: throw new OptionsValidationException("Node:Roles", typeof(NodeOptions), [$"Node:Roles: '{part}' is not a role; use scp, worker and/or viewer."]);
            }
        }
        if (!scp && !worker && !viewer) throw new OptionsValidationException("Node:Roles", typeof(NodeOptions), ["Node:Roles names no role; use scp, worker and/or viewer."]);
        return new NodeRoles(scp, worker, viewer);
    }
}
