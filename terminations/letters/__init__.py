"""The formal notice letters: frozen snapshots rendered once into stored PDF bytes.

`snapshot.build_snapshot(notice)` freezes the facts a letter shows; `render.render_pdf(snapshot)`
renders them through the kind's template (templates/letters/kinds/, where the wording lives) into
PDF bytes with a locked-down URL fetcher. `samples` holds the fixed data of `make letters`. Nothing here imports WeasyPrint at
module level: it costs about a second and is only needed when a letter is issued or benchmarked.
"""
