from django.contrib import admin

from .models import Article, Phrase
from .search import ARTICLE, PHRASE
from .services import save_article, save_phrase


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    list_display = ("stage", "category", "situation", "text", "position", "active")
    list_filter = ("stage", "category", "active")
    search_fields = ("text", "situation")

    def save_model(self, request, obj, form, change):
        save_phrase(phrase=obj)

    def delete_model(self, request, obj):
        from .models import SearchGram

        SearchGram.objects.filter(kind=PHRASE, object_id=obj.pk).delete()
        super().delete_model(request, obj)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "category", "subcategory", "updated_at", "active")
    list_filter = ("status", "category", "active")
    search_fields = ("title",)
    # Drafts are published on the knowledge pages by a supervisor other than the author (four eyes).
    readonly_fields = ("status", "source", "author", "created_at", "published_by", "published_at")

    def save_model(self, request, obj, form, change):
        save_article(article=obj)

    def delete_model(self, request, obj):
        from .models import SearchGram

        SearchGram.objects.filter(kind=ARTICLE, object_id=obj.pk).delete()
        super().delete_model(request, obj)
