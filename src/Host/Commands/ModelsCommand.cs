using System.CommandLine;
using EdgeCancer.Inference.Models;

namespace EdgeCancer.Host.Commands;

/// <summary><c>edgecancer models list|activate|verify</c>: the model registry.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models", "-m") { Description = "models folder", DefaultValueFactory = _ => "models", Recursive = true };
        var cmd = new Command("models", "List, verify and activate models") { models };

        var list = new Command("list", "List models, their versions and the active one");
        list.SetAction(parse =>
        {
            var registry = new ModelRegistry(parse.GetValue(models)!);
            var all = registry.List();
            if (all.Count == 0) Console.Out.WriteLine($"no models in {registry.Root}");
            foreach (var m in all)
                foreach (var v in m.Versions)
                {
                    var manifest = ModelManifest.Load(Path.Combine(registry.VersionDirectory(m.Name, v), ModelManifest.FileName));
                    string metrics = string.Join(", ", manifest.Metrics.Where(kv => kv.Key.Contains("Accuracy") || kv.Key.Contains("Auc")).Select(kv => FormattableString.Invariant($"{kv.Key} {kv.Value:0.000}")));
                    Console.Out.WriteLine($"{(v == m.ActiveVersion ? "*" : " ")} {m.Name} {v}  {manifest.Task.ToString().ToLowerInvariant()}  sha256 {manifest.OnnxFile.Sha256[..12]}…  {metrics}");
                }
            return 0;
        });

        var name = new Argument<string>("name") { Description = "model name" };
        var version = new Argument<string>("version") { Description = "version to activate" };
        var activate = new Command("activate", "Verify a version and make it the active one (workers pick it up for new work)") { name, version };
        activate.SetAction(parse =>
        {
            var registry = new ModelRegistry(parse.GetValue(models)!);
            var check = registry.Activate(parse.GetValue(name)!, parse.GetValue(version)!);
            if (!check.IsValid)
            {
                Console.Error.WriteLine($"edgecancer models activate: {check}");
                return 2;
            }
            Console.Out.WriteLine($"{check.Name} {check.Version} is active");
            return 0;
        });

        var only = new Argument<string?>("name") { Description = "model to verify (default: every version of every model)", Arity = ArgumentArity.ZeroOrOne };
        var verify = new Command("verify", "Check hashes and ONNX inputs/outputs against the manifests") { only };
        verify.SetAction(parse =>
        {
            var registry = new ModelRegistry(parse.GetValue(models)!);
            string? filter = parse.GetValue(only);
            int bad = 0, count = 0;
            foreach (var m in registry.List().Where(m => filter is null || m.Name == filter))
                foreach (var v in m.Versions)
                {
                    var check = registry.Verify(m.Name, v);
                    count++;
                    if (!check.IsValid) bad++;
                    (check.IsValid ? Console.Out : Console.Error).WriteLine(check.ToString());
                }
            if (count == 0)
            {
                Console.Error.WriteLine($"edgecancer models verify: no model{(filter is null ? "" : $" named {filter}")} in {registry.Root}");
                return 2;
            }
            return bad == 0 ? 0 : 1;
        });

        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(activate);
        cmd.Subcommands.Add(verify);
        return cmd;
    }
}
