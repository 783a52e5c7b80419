"""The widgets' stills are the client's (`sume_notebook.client.stills`): a report embeds what a widget shows."""

from ...client.stills import Still, data_uri, display_size, downscale

__all__ = ["Still", "data_uri", "display_size", "downscale"]
