"""Fetch a file built by a worker (delivery.downloads) as a test client would: follow the
redirect to its progress page, build it as the worker does, then download it."""

from django.urls import resolve, reverse

from delivery.downloads import download_build


def built_file(client, response) -> bytes:
    assert response.status_code == 302, response.status_code
    pk = resolve(response.url).kwargs["pk"]
    assert client.get(response.url).status_code == 200  # the progress page
    download_build(download_id=pk)  # what the delivery item's worker does
    page = client.get(response.url)
    file_url = reverse("delivery:download_file", args=[pk])
    assert file_url in page.content.decode()
    file = client.get(file_url)
    assert file.status_code == 200 and "no-store" in file["Cache-Control"]
    return b"".join(file.streaming_content)
