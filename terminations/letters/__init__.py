"""The formal notice letters: frozen snapshots rendered once into stored PDF bytes.

`snapshot.build_snapshot(notice)` freezes every value a letter shows; `render.render_pdf(snapshot)`
turns that dict into PDF bytes with a locked-down URL fetcher. Nothing here imports WeasyPrint at
module level: it costs about a second and is only needed when a letter is issued or benchmarked.
"""
